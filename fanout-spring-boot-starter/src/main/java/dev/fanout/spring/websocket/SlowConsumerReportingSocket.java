package dev.fanout.spring.websocket;

import java.security.Principal;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;

import org.jspecify.annotations.Nullable;

import dev.fanout.CloseCodes;
import dev.fanout.RawSocket;

/**
 * The socket the handler hands to the hub: it delegates everything to the session's socket and, when the hub closes
 * it with {@link CloseCodes#SLOW_CONSUMER 1013} because too much is buffered, reports that with the amount buffered
 * then.
 * So the starter learns of every slow-consumer close from the hub, whichever hub (or options) bean the application
 * defines. Reports at most once per connection. Thread-safe as its delegate is.
 */
final class SlowConsumerReportingSocket implements RawSocket {

    private final WebSocketSessionRawSocket delegate;

    private final LongConsumer onSlowConsumerClose;

    private final AtomicBoolean reported = new AtomicBoolean();

    SlowConsumerReportingSocket(WebSocketSessionRawSocket delegate, LongConsumer onSlowConsumerClose) {
        this.delegate = delegate;
        this.onSlowConsumerClose = onSlowConsumerClose;
    }

    @Override
    public void send(String text) {
        this.delegate.send(text);
    }

    @Override
    public long bufferedAmount() {
        return this.delegate.bufferedAmount();
    }

    @Override
    public void close(int code, String reason) {
        if (code == CloseCodes.SLOW_CONSUMER && this.delegate.isOpen() && this.reported.compareAndSet(false, true)) {
            this.onSlowConsumerClose.accept(this.delegate.bufferedAmount());
        }
        this.delegate.close(code, reason);
    }

    @Override
    public boolean isOpen() {
        return this.delegate.isOpen();
    }

    @Override
    public void setListener(@Nullable Listener listener) {
        this.delegate.setListener(listener);
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
