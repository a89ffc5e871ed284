package dev.fanout.redis;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;

/**
 * The delays between reconnect attempts: exponential backoff with jitter. The {@code n}-th delay after a success
 * (counting from 0) is drawn uniformly from {@code [d/2, d]}, where {@code d = min(max, min * 2^n)}; so nodes that
 * lost Redis together do not come back in lockstep, and a long outage costs one attempt per {@code max} at most.
 *
 * <p>Not thread-safe: the broker's control thread alone uses it.
 */
final class ReconnectBackoff {

    private static final int MAX_DOUBLINGS = 30;

    private final long minNanos;

    private final long maxNanos;

    private final LongUnaryOperator random;

    private int failedAttempts;

    /**
     * Backoff with random jitter.
     *
     * @param min the first delay's upper bound
     * @param max the upper bound of every delay
     */
    ReconnectBackoff(Duration min, Duration max) {
        this(min, max, (bound) -> ThreadLocalRandom.current().nextLong(bound));
    }

    /**
     * Backoff whose jitter comes from the given source.
     *
     * @param min the first delay's upper bound
     * @param max the upper bound of every delay
     * @param random given a bound {@code b > 0}, a number in {@code [0, b)}
     */
    ReconnectBackoff(Duration min, Duration max, LongUnaryOperator random) {
        this.minNanos = min.toNanos();
        this.maxNanos = max.toNanos();
        this.random = random;
    }

    /**
     * The delay before the next attempt, after one more failure.
     *
     * @return a delay in {@code [d/2, d]}, {@code d} doubling with every call up to the maximum
     */
    Duration next() {
        long delay = (long) Math.min(this.maxNanos,
                this.minNanos * Math.pow(2, Math.min(this.failedAttempts, MAX_DOUBLINGS)));
        this.failedAttempts++;
        return Duration.ofNanos(delay / 2 + this.random.applyAsLong(delay / 2 + 1));
    }

    /** A connection succeeded: the next delay starts from the minimum again. */
    void reset() {
        this.failedAttempts = 0;
    }
}
