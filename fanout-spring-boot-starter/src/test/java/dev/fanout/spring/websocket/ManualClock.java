package dev.fanout.spring.websocket;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A clock for tests, in nanoseconds, that moves only when told.
 */
final class ManualClock implements LongSupplier {

    private volatile long now = 1_000_000_000L;

    @Override
    public long getAsLong() {
        return this.now;
    }

    void advance(Duration duration) {
        this.now += duration.toNanos();
    }
}
