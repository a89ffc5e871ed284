package dev.fanout.spring.websocket;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.Principal;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;

import dev.fanout.CloseCodes;
import dev.fanout.RawSocket;
import dev.fanout.SpokeEventTarget;

/**
 * The {@link RawSocket} of one Spring WebSocket connection: a facade that composes the parts of the send path, each
 * with one job. {@link SendLoop} queues and writes the outbound messages and the close through the container's
 * {@link AsyncEndpoint}; {@link InboundDelivery} joins inbound message parts and calls the listener sequentially,
 * the close last and once; {@link Liveness} judges stalls and silence from timestamps, which
 * {@link SessionSupervisor}'s watchdog acts on through {@link #supervise}.
 *
 * <p><b>Closing.</b> {@link #close} records the status, drops the queued messages, tells the listener at once (so the
 * hub stops sending here) and queues the close behind the write in flight: the close frame never overtakes a
 * message (the send loop writes it only with nothing in flight and no batch open). Only a write stalled past
 * {@link SocketSettings#sendStallTimeout()} is not waited for: the watchdog then evicts the spoke with 1013 and closes
 * the endpoint at once, on the I/O executor.
 *
 * <p><b>Flow control.</b> {@link #pauseReading()} suspends the container's reading of the session
 * ({@link AsyncEndpoint#suspendReading()}: Tomcat can, Jetty cannot) and {@link Liveness} then does not judge the
 * spoke silent, since not even its pongs are read; a paused spoke is throttled, not gone, however long the pause.
 * {@link #close} resumes reading first, so that the peer's close frame is read.
 *
 * <p><b>Thread safety.</b> Every method may be called from any thread; {@link #send} only enqueues and never blocks
 * or writes. Listener calls are sequential; see {@link InboundDelivery}. Pausing and resuming are serialized by one
 * small lock, held only around the endpoint's non-blocking suspend and resume.
 */
public final class WebSocketSessionRawSocket implements RawSocket {

    private static final Logger logger = LoggerFactory.getLogger(WebSocketSessionRawSocket.class);

    private final SessionInfo info;

    private final AsyncEndpoint endpoint;

    private final SocketRuntime runtime;

    private final FrameSizer sizer;

    private final StallListener stallListener;

    private final SendLoop sendLoop;

    private final InboundDelivery inbound;

    private final Liveness liveness;

    private volatile @Nullable SpokeEventTarget spoke;

    private final Object readingLock = new Object();

    /** Whether the endpoint's reading is suspended; guarded by {@link #readingLock}. */
    private boolean readingPaused;

    WebSocketSessionRawSocket(SessionInfo info, AsyncEndpoint endpoint, SocketRuntime runtime, FrameSizer sizer,
            StallListener stallListener) {
        this.info = info;
        this.endpoint = endpoint;
        this.runtime = runtime;
        this.sizer = sizer;
        this.stallListener = stallListener;
        this.sendLoop = new SendLoop(endpoint, runtime.scheduler(), runtime.clock(), this::sendFailed);
        this.inbound = new InboundDelivery(runtime.settings().maxMessageSize(), this);
        this.liveness = new Liveness(runtime.settings(), runtime.clock().getAsLong());
    }

    /**
     * The id of the WebSocket session.
     *
     * @return the session id
     */
    public String id() {
        return this.info.id();
    }

    /**
     * The user authenticated at the handshake, if any: the request's principal, which with Spring Security is its
     * {@code Authentication} (anonymous users have none).
     *
     * @return the principal, or {@code null}
     */
    @Override
    public @Nullable Principal principal() {
        return this.info.principal();
    }

    /**
     * The attributes the handshake interceptors put into the session, read-only.
     *
     * @return an unmodifiable view of the session's attributes
     */
    @Override
    public Map<String, Object> attributes() {
        return this.info.attributes();
    }

    /**
     * The address of the spoke.
     *
     * @return the remote address, or {@code null} if the container does not know it
     */
    public @Nullable InetSocketAddress remoteAddress() {
        return this.info.remoteAddress();
    }

    /**
     * How this socket closed, or is closing.
     *
     * @return the status, or {@code null} while the socket is open
     */
    public @Nullable CloseStatus closeStatus() {
        return this.inbound.closeStatus();
    }

    /**
     * The hub's spoke for this socket, once the hub took the connection over.
     *
     * @return the spoke, or {@code null} before that
     */
    public @Nullable SpokeEventTarget spoke() {
        return this.spoke;
    }

    void attach(SpokeEventTarget spoke) {
        this.spoke = spoke;
    }

    @Override
    public void send(String text) {
        Objects.requireNonNull(text, "text");
        this.sendLoop.offer(text, this.sizer.utf8Length(text));
    }

    @Override
    public long bufferedAmount() {
        return this.sendLoop.bufferedAmount();
    }

    @Override
    public void close(int code, String reason) {
        CloseStatus status = closeStatusOf(code, reason);
        if (this.inbound.recordClose(status)) {
            resumeReading();
            this.sendLoop.close(status);
            this.inbound.deliverPendingClose();
        }
    }

    /**
     * Suspends the container's reading of this session, if the container can and the socket is open.
     *
     * @return whether reading is paused now
     */
    @Override
    public boolean pauseReading() {
        synchronized (this.readingLock) {
            if (this.readingPaused) {
                return true;
            }
            if (!isOpen() || !this.endpoint.suspendReading()) {
                return false;
            }
            this.readingPaused = true;
            this.liveness.readingPaused();
            return true;
        }
    }

    @Override
    public void resumeReading() {
        synchronized (this.readingLock) {
            if (!this.readingPaused) {
                return;
            }
            this.readingPaused = false;
            this.liveness.readingResumed(this.runtime.clock().getAsLong());
            this.endpoint.resumeReading();
        }
    }

    /**
     * Whether the container's reading of this session is suspended now.
     *
     * @return whether reading is paused
     */
    public boolean isReadingPaused() {
        synchronized (this.readingLock) {
            return this.readingPaused;
        }
    }

    @Override
    public boolean isOpen() {
        return this.inbound.closeStatus() == null;
    }

    @Override
    public void setListener(@Nullable Listener listener) {
        this.inbound.setListener(listener);
    }

    /**
     * A part of an inbound text message, from the container; parts of one session come one at a time.
     */
    void receiveText(String part, boolean last) {
        this.liveness.heardFrom(this.runtime.clock().getAsLong());
        try {
            this.inbound.text(part, last);
        }
        catch (MessageAssembler.MessageTooBigException ex) {
            tooBig(ex);
        }
    }

    /**
     * A part of an inbound binary message, from the container; parts of one session come one at a time.
     */
    void receiveBinary(ByteBuffer part, boolean last) {
        this.liveness.heardFrom(this.runtime.clock().getAsLong());
        try {
            this.inbound.binary(part, last);
        }
        catch (MessageAssembler.MessageTooBigException ex) {
            tooBig(ex);
        }
    }

    void receivePong() {
        this.liveness.heardFrom(this.runtime.clock().getAsLong());
    }

    /**
     * The container closed the session: the peer closed it, the transport failed, or our own close completed.
     */
    void closedByContainer(CloseStatus status) {
        this.inbound.recordClose(status);
        this.sendLoop.terminate();
        this.inbound.deliverPendingClose();
    }

    /**
     * One look by the watchdog: evicts a stalled spoke, closes a silent one, and asks for a ping when due.
     *
     * @param now the runtime clock's time
     */
    void supervise(long now) {
        long writingSince = this.sendLoop.writingSince();
        if (this.inbound.closeStatus() != null) {
            if (this.liveness.stalled(now, writingSince)) {
                abortStuckWrite();
            }
            return;
        }
        switch (this.liveness.verdict(now, writingSince)) {
            case STALLED -> evictStalled(now - writingSince);
            case SILENT -> {
                logger.info("{} sent nothing, not even a pong, for {}: closing it as dropped", this,
                        this.runtime.settings().heartbeatTimeout());
                close(CloseCodes.GOING_AWAY, "heartbeat timeout");
            }
            case PING_DUE -> {
                this.liveness.pinged(now);
                this.sendLoop.requestPing();
            }
            case HEALTHY -> {
            }
        }
    }

    private void evictStalled(long stalledNanos) {
        long amount = bufferedAmount();
        logger.info("A send to {} has not finished for {} ms ({} bytes buffered): closing it with {}", this,
                stalledNanos / 1_000_000, amount, CloseCodes.SLOW_CONSUMER);
        try {
            this.stallListener.onStall(this, amount);
        }
        catch (RuntimeException ex) {
            logger.warn("The stall listener of {} threw; closing it anyway", this, ex);
        }
        close(CloseCodes.SLOW_CONSUMER, "slow consumer");
        abortStuckWrite();
    }

    private void abortStuckWrite() {
        CloseStatus status = this.sendLoop.abort();
        if (status == null) {
            return;
        }
        Runnable closeNow = () -> this.endpoint.close(status);
        try {
            this.runtime.io().execute(closeNow);
        }
        catch (RejectedExecutionException ex) {
            closeNow.run();
        }
    }

    private void tooBig(MessageAssembler.MessageTooBigException ex) {
        logger.debug("{}: {}; closing it with {}", this, ex.getMessage(), CloseCodes.MESSAGE_TOO_BIG);
        close(CloseCodes.MESSAGE_TOO_BIG, "message too big");
    }

    private void sendFailed(Throwable failure) {
        if (isOpen()) {
            logger.warn("Sending to {} failed; closing it with {}", this, CloseCodes.INTERNAL_ERROR, failure);
        }
        close(CloseCodes.INTERNAL_ERROR, "send failed");
    }

    private static CloseStatus closeStatusOf(int code, String reason) {
        try {
            return new CloseStatus(code, reason);
        }
        catch (IllegalArgumentException ex) {
            return new CloseStatus(CloseCodes.INTERNAL_ERROR, reason);
        }
    }

    @Override
    public String toString() {
        return "WebSocket session " + this.info.id();
    }

    /**
     * Told when a send to a socket stalled past {@link SocketSettings#sendStallTimeout()}, just before the socket is
     * closed with 1013.
     */
    @FunctionalInterface
    interface StallListener {

        void onStall(WebSocketSessionRawSocket socket, long bufferedAmount);
    }
}
