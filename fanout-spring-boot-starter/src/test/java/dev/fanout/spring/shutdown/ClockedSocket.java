package dev.fanout.spring.shutdown;

import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

import dev.fanout.RawSocket;
import dev.fanout.testing.InMemoryRawSocket;

/**
 * An {@link InMemoryRawSocket} that also records when, on a given clock, it was closed.
 */
final class ClockedSocket implements RawSocket {

    private final InMemoryRawSocket socket;

    private final LongSupplier clock;

    private volatile long closedAtNanos = -1;

    ClockedSocket(String name, LongSupplier clock) {
        this.socket = new InMemoryRawSocket(name);
        this.clock = clock;
    }

    @Override
    public void send(String text) {
        this.socket.send(text);
    }

    @Override
    public long bufferedAmount() {
        return this.socket.bufferedAmount();
    }

    @Override
    public void close(int code, String reason) {
        if (this.socket.isOpen()) {
            this.closedAtNanos = this.clock.getAsLong();
        }
        this.socket.close(code, reason);
    }

    @Override
    public boolean isOpen() {
        return this.socket.isOpen();
    }

    @Override
    public void setListener(@Nullable Listener listener) {
        this.socket.setListener(listener);
    }

    InMemoryRawSocket inMemory() {
        return this.socket;
    }

    /** When {@link #close} closed it, or -1 if it did not. */
    long closedAtNanos() {
        return this.closedAtNanos;
    }

    @Override
    public String toString() {
        return this.socket.toString();
    }
}
