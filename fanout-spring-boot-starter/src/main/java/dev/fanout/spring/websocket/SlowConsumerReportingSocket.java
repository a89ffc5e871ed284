package dev.fanout.spring.websocket;

import java.security.Principal;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;

import org.jspecify.annotations.Nullable;

import dev.fanout.CloseCodes;
import dev.fanout.RawSocket;

/**
 * The socket the handler hands to the hub: it delegates everything to the session's socket and reports two things
 * the hub decides, whichever hub (or options) bean the application defines:
 * <ul>
 * <li>a close with {@link CloseCodes#SLOW_CONSUMER 1013} because too much is buffered, with the amount the hub saw
 * (the last {@link #bufferedAmount()} it read, just before deciding);</li>
 * <li>the hub forgetting the connection, which detaches the listener it set
 * ({@link dev.fanout.WebSocketServerEventTarget#removeConnection} promises that).</li>
 * </ul>
 * Reports each at most once. Thread-safe as its delegate is.
 */
final class SlowConsumerReportingSocket implements RawSocket {

    private final WebSocketSessionRawSocket delegate;

    private final LongConsumer onSlowConsumerClose;

    private final Runnable onRemoved;

    private final AtomicBoolean reported = new AtomicBoolean();

    private final AtomicBoolean attached = new AtomicBoolean();

    private final AtomicBoolean removed = new AtomicBoolean();

    /**
     * The last amount the hub read. Plain, not volatile, so a send costs no fence: the hub reads the amount and closes
     * a slow consumer on one thread, which therefore sees its own write; a racing dispatcher can only make the
     * reported figure another recent reading.
     */
    private long lastBufferedAmount;

    SlowConsumerReportingSocket(WebSocketSessionRawSocket delegate, LongConsumer onSlowConsumerClose,
            Runnable onRemoved) {
        this.delegate = delegate;
        this.onSlowConsumerClose = onSlowConsumerClose;
        this.onRemoved = onRemoved;
    }

    @Override
    public void send(String text) {
        this.delegate.send(text);
    }

    @Override
    public long bufferedAmount() {
        long amount = this.delegate.bufferedAmount();
        this.lastBufferedAmount = amount;
        return amount;
    }

    @Override
    public void close(int code, String reason) {
        if (code == CloseCodes.SLOW_CONSUMER && this.delegate.isOpen() && this.reported.compareAndSet(false, true)) {
            this.onSlowConsumerClose.accept(this.lastBufferedAmount);
        }
        this.delegate.close(code, reason);
    }

    @Override
    public boolean pauseReading() {
        return this.delegate.pauseReading();
    }

    @Override
    public void resumeReading() {
        this.delegate.resumeReading();
    }

    @Override
    public boolean isOpen() {
        return this.delegate.isOpen();
    }

    @Override
    public void setListener(@Nullable Listener listener) {
        this.delegate.setListener(listener);
        if (listener != null) {
            this.attached.set(true);
        }
        else if (this.attached.get() && this.removed.compareAndSet(false, true)) {
            this.onRemoved.run();
        }
    }

    @Override
    public @Nullable Principal principal() {
        return this.delegate.principal();
    }

    @Override
    public Map<String, Object> attributes() {
        return this.delegate.attributes();
    }

    @Override
    public String toString() {
        return this.delegate.toString();
    }
}
