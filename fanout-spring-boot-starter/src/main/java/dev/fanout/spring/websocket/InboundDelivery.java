package dev.fanout.spring.websocket;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;

import dev.fanout.RawSocket;

/**
 * The inbound side of one connection: joins the message parts the container hands over
 * ({@link MessageAssembler}, which enforces the size limit), and calls the {@link RawSocket.Listener} sequentially,
 * with the close last and at most once.
 *
 * <p><b>Threads.</b> The container calls {@link #text} and {@link #binary} one at a time for a connection;
 * {@link #recordClose} and {@link #deliverPendingClose} may come from any thread at any time, even while a message
 * is being delivered: they never block, and if a delivery is in progress the delivering thread delivers the close
 * when it finishes. Messages that arrive
 * once a close was recorded are dropped. A listener that throws is logged; the connection stays.
 */
final class InboundDelivery {

    private static final Logger logger = LoggerFactory.getLogger(InboundDelivery.class);

    private final MessageAssembler assembler;

    private final ReentrantLock delivering = new ReentrantLock();

    private final AtomicReference<@Nullable CloseStatus> closeStatus = new AtomicReference<>();

    private final AtomicBoolean closeDelivered = new AtomicBoolean();

    private final Object owner;

    private volatile RawSocket.@Nullable Listener listener;

    /**
     * Creates the delivery of one connection.
     *
     * @param maxMessageSize the largest inbound message, in chars for text and bytes for binary
     * @param owner named in log messages
     */
    InboundDelivery(int maxMessageSize, Object owner) {
        this.assembler = new MessageAssembler(maxMessageSize);
        this.owner = owner;
    }

    void setListener(RawSocket.@Nullable Listener listener) {
        this.listener = listener;
    }

    /**
     * A part of a text message; the whole message goes to the listener after its last part.
     *
     * @throws MessageAssembler.MessageTooBigException if the message grew past the limit
     */
    void text(String part, boolean last) throws MessageAssembler.MessageTooBigException {
        if (this.closeStatus.get() != null) {
            return;
        }
        String text = this.assembler.text(part, last);
        if (text != null) {
            deliver((current) -> current.onText(text));
        }
    }

    /**
     * A part of a binary message; the whole message goes to the listener after its last part.
     *
     * @throws MessageAssembler.MessageTooBigException if the message grew past the limit
     */
    void binary(ByteBuffer part, boolean last) throws MessageAssembler.MessageTooBigException {
        if (this.closeStatus.get() != null) {
            return;
        }
        byte[] data = this.assembler.binary(part, last);
        if (data != null) {
            deliver((current) -> current.onBinary(data));
        }
    }

    /**
     * Records the close; only the first call counts. Messages arriving afterwards are dropped.
     *
     * @param status how the connection closed
     * @return whether this was the first close
     */
    boolean recordClose(CloseStatus status) {
        return this.closeStatus.compareAndSet(null, status);
    }

    /**
     * The close recorded first.
     *
     * @return the status, or {@code null} while open
     */
    @Nullable CloseStatus closeStatus() {
        return this.closeStatus.get();
    }

    private void deliver(Consumer<RawSocket.Listener> call) {
        this.delivering.lock();
        try {
            RawSocket.Listener current = this.listener;
            if (current != null && !this.closeDelivered.get()) {
                call.accept(current);
            }
        }
        catch (RuntimeException ex) {
            logger.warn("The listener of {} threw on an inbound message; the connection stays", this.owner, ex);
        }
        finally {
            this.delivering.unlock();
        }
        deliverPendingClose();
    }

    /**
     * Delivers the recorded close, once, unless another thread is delivering a message right now (that one delivers
     * it when it finishes). Never blocks.
     */
    void deliverPendingClose() {
        while (this.closeStatus.get() != null && !this.closeDelivered.get() && this.delivering.tryLock()) {
            try {
                CloseStatus status = this.closeStatus.get();
                if (status != null && this.closeDelivered.compareAndSet(false, true)) {
                    RawSocket.Listener current = this.listener;
                    if (current != null) {
                        current.onClose(status.getCode(), (status.getReason() != null) ? status.getReason() : "");
                    }
                }
            }
            catch (RuntimeException ex) {
                logger.warn("The listener of {} threw on close", this.owner, ex);
            }
            finally {
                this.delivering.unlock();
            }
        }
    }
}
