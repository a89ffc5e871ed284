package dev.fanout.client.internal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.slf4j.Logger;

/**
 * Logs at WARN at most once per interval and at DEBUG otherwise, so that a hub (or a listener) failing in a loop
 * cannot flood the log; the next WARN says how many were logged at DEBUG only. Thread-safe. (Core has its own, not
 * exported; this client uses only core's API.)
 */
final class RateLimitedLog {

    private final Logger logger;

    private final long intervalNanos;

    private final LongSupplier nanoClock;

    private final AtomicLong nextWarnAt;

    private final AtomicLong suppressed = new AtomicLong();

    RateLimitedLog(Logger logger, Duration interval, LongSupplier nanoClock) {
        this.logger = logger;
        this.intervalNanos = interval.toNanos();
        this.nanoClock = nanoClock;
        this.nextWarnAt = new AtomicLong(nanoClock.getAsLong());
    }

    void warn(String message, Object... args) {
        long now = this.nanoClock.getAsLong();
        long next = this.nextWarnAt.get();
        if (now - next >= 0 && this.nextWarnAt.compareAndSet(next, now + this.intervalNanos)) {
            long suppressedSinceLastWarn = this.suppressed.getAndSet(0);
            this.logger.warn((suppressedSinceLastWarn > 0)
                    ? message + " (and " + suppressedSinceLastWarn + " similar, logged at DEBUG)" : message, args);
        }
        else {
            this.suppressed.incrementAndGet();
            this.logger.debug(message, args);
        }
    }
}
