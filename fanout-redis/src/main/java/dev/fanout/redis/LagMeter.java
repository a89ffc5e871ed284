package dev.fanout.redis;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * Measures the lag of received frames, from the publishing node's wall clock at the publish to this node's wall
 * clock at the receive. The clocks are those of different machines, so the figure is only as good as their
 * synchronisation (NTP keeps it within milliseconds); a negative lag (the publisher's clock is ahead) or one above
 * {@link #MAX_PLAUSIBLE_LAG} (a clock far off, or a forged time) is not counted.
 *
 * <p>Thread-safe.
 */
final class LagMeter {

    /** Lags above this are not counted: no frame waits that long, the clocks disagree. */
    static final Duration MAX_PLAUSIBLE_LAG = Duration.ofMinutes(10);

    private static final long MAX_PLAUSIBLE_LAG_MICROS = MAX_PLAUSIBLE_LAG.toNanos() / 1_000;

    private final Clock clock;

    private final LongAdder count = new LongAdder();

    private final LongAdder totalNanos = new LongAdder();

    LagMeter(Clock clock) {
        this.clock = clock;
    }

    /**
     * Counts the lag of a frame received now, if it is plausible.
     *
     * @param publishedAtMicros the publishing node's wall clock at the publish, in microseconds since the epoch
     */
    void received(long publishedAtMicros) {
        long lagMicros = Envelope.epochMicros(this.clock) - publishedAtMicros;
        if (lagMicros >= 0 && lagMicros <= MAX_PLAUSIBLE_LAG_MICROS) {
            this.count.increment();
            this.totalNanos.add(lagMicros * 1_000);
        }
    }

    /**
     * How many lags were counted.
     *
     * @return the count since creation
     */
    long count() {
        return this.count.sum();
    }

    /**
     * The sum of the counted lags.
     *
     * @return the total in nanoseconds
     */
    long totalNanos() {
        return this.totalNanos.sum();
    }
}
