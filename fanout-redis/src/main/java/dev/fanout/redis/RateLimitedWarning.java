package dev.fanout.redis;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.slf4j.Logger;

/**
 * A WARN at most once per interval, DEBUG the rest of the time: for what Redis or a peer can make happen often.
 *
 * <p>Thread-safe: of concurrent callers in a due interval, exactly one wins the compare-and-set and logs at WARN.
 */
final class RateLimitedWarning {

    private final Logger logger;

    private final long intervalNanos;

    private final LongSupplier nanoClock;

    private final AtomicLong nextWarnAt;

    /**
     * @param logger where to log
     * @param interval the least time between two WARNs
     * @param nanoClock the monotonic clock, in nanoseconds
     */
    RateLimitedWarning(Logger logger, Duration interval, LongSupplier nanoClock) {
        this.logger = logger;
        this.intervalNanos = interval.toNanos();
        this.nanoClock = nanoClock;
        this.nextWarnAt = new AtomicLong(nanoClock.getAsLong());
    }

    /** Logs at WARN if the interval has passed since the last WARN, at DEBUG otherwise. */
    void warn(String message, Object... arguments) {
        if (claimWarning()) {
            this.logger.warn(message, arguments);
        }
        else {
            this.logger.debug(message, arguments);
        }
    }

    /**
     * Claims this interval's WARN, for a caller that words its WARN and its DEBUG differently.
     *
     * @return whether the caller may log at WARN now (the interval has passed and no other caller claimed it)
     */
    boolean claimWarning() {
        long now = this.nanoClock.getAsLong();
        long next = this.nextWarnAt.get();
        return now - next >= 0 && this.nextWarnAt.compareAndSet(next, now + this.intervalNanos);
    }
}
