package dev.fanout.client.internal;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter: attempt <i>n</i> waits a uniformly random delay in
 * {@code [0, min(max, base × 2^(n−1))]}, so that spokes the hub dropped together do not return together.
 *
 * @param base the cap of the first attempt
 * @param max the cap of every attempt
 */
record Backoff(Duration base, Duration max) {

    private static final int MAX_EXPONENT = 30;

    /**
     * The delay before an attempt.
     *
     * @param attempt the attempt number, starting at 1 (smaller values count as 1)
     * @param random where the jitter comes from
     */
    Duration delay(int attempt, RandomGenerator random) {
        int exponent = Math.min(Math.max(attempt, 1) - 1, MAX_EXPONENT);
        long ceilingNanos = Math.min(this.max.toNanos(), saturatedShift(this.base.toNanos(), exponent));
        return Duration.ofNanos((long) (random.nextDouble() * ceilingNanos));
    }

    private static long saturatedShift(long value, int exponent) {
        return (value > (Long.MAX_VALUE >> exponent)) ? Long.MAX_VALUE : value << exponent;
    }
}
