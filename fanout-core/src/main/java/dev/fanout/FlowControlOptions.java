package dev.fanout;

import java.time.Duration;
import java.util.Objects;

/**
 * How the hub keeps a fast publisher from costing a healthy reader its connection: the options of
 * {@link WebSocketServerOptions#flowControl()}.
 *
 * <p>A subscriber whose {@link RawSocket#bufferedAmount()} is above the {@linkplain #highWaterMark() high-water mark}
 * when the hub sends to it counts as <em>backed up</em> until a check finds it at or below the
 * {@linkplain #lowWaterMark() low-water mark}. While a spoke's event is delivered to the hub's listeners (which
 * relay it with {@link WebSocketServerEventTarget#dispatchEvent}), every subscriber that delivery backs up makes the
 * hub stop reading that spoke ({@link RawSocket#pauseReading()}), so that TCP pushes back on it; it reads again once
 * none of those subscribers is backed up. Application publishers ask
 * {@link WebSocketServerEventTarget#hasCapacity(String)} or wait for
 * {@link WebSocketServerEventTarget#awaitCapacity(String)}. A subscriber that stays backed up for longer than the
 * {@linkplain #drainTimeout() drain timeout} is not keeping up: publishers stop waiting for it until it is back at
 * the low-water mark, and the slow-consumer rule closes it with 1013 if it reaches the backpressure threshold. So a
 * spoke that stops reading costs no one else more than that timeout, and two spokes that publish to each other can
 * never hold each other paused for longer.
 *
 * <p>Immutable and thread-safe. {@link #derivedFrom(long)} gives the defaults for a backpressure threshold; the
 * {@link WebSocketServerOptions} builder uses them unless told otherwise. {@link #off()} turns flow control off.
 *
 * @param enabled whether the hub applies flow control; the other values are ignored when it does not
 * @param highWaterMark above this many buffered bytes a subscriber counts as backed up; below the backpressure
 *     threshold
 * @param lowWaterMark at or below this many buffered bytes a backed-up subscriber counts as drained; below the
 *     high-water mark, {@code 0} or more
 * @param checkInterval how often the hub looks at the backed-up subscribers while there are any: the longest a drained
 *     subscriber keeps its publishers paused
 * @param drainTimeout how long a subscriber may stay backed up before publishers stop waiting for it
 */
public record FlowControlOptions(boolean enabled, long highWaterMark, long lowWaterMark, Duration checkInterval,
        Duration drainTimeout) {

    /** Default {@link #checkInterval()}: 10 ms, so that publishers resume soon after their subscribers drained. */
    public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofMillis(10);

    /**
     * Default {@link #drainTimeout()}: 5 seconds, far longer than a healthy reader needs to drain the high-water mark
     * even behind a hub whose sender threads are the bottleneck, short enough that a spoke that stopped reading
     * stalls its publishers only briefly.
     */
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(5);

    /** The default high-water mark is the backpressure threshold divided by this. */
    public static final int HIGH_WATER_DIVISOR = 4;

    /** The default low-water mark is the backpressure threshold divided by this. */
    public static final int LOW_WATER_DIVISOR = 16;

    private static final FlowControlOptions OFF = new FlowControlOptions(false, 0, 0, DEFAULT_CHECK_INTERVAL,
            DEFAULT_DRAIN_TIMEOUT);

    /**
     * Validates the options; a disabled one is not checked further.
     *
     * @throws IllegalArgumentException if the marks are not {@code 0 <= lowWaterMark < highWaterMark}, or a duration
     *     is not positive
     * @throws NullPointerException if a duration is {@code null}
     */
    public FlowControlOptions {
        Objects.requireNonNull(checkInterval, "checkInterval");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        if (enabled) {
            if (lowWaterMark < 0 || lowWaterMark >= highWaterMark) {
                throw new IllegalArgumentException("The flow control marks must satisfy 0 <= lowWaterMark < "
                        + "highWaterMark, were lowWaterMark=" + lowWaterMark + ", highWaterMark=" + highWaterMark);
            }
            requirePositive("checkInterval", checkInterval);
            requirePositive("drainTimeout", drainTimeout);
        }
    }

    /**
     * The defaults for a backpressure threshold: a high-water mark of a quarter of it, a low-water mark of a
     * sixteenth, {@link #DEFAULT_CHECK_INTERVAL} and {@link #DEFAULT_DRAIN_TIMEOUT}; {@link #off()} for a threshold
     * below 4 bytes, which leaves no room for a mark under it.
     *
     * @param backpressureThreshold the threshold, positive
     * @return the options
     */
    public static FlowControlOptions derivedFrom(long backpressureThreshold) {
        long high = backpressureThreshold / HIGH_WATER_DIVISOR;
        if (high < 1) {
            return off();
        }
        return new FlowControlOptions(true, high, backpressureThreshold / LOW_WATER_DIVISOR, DEFAULT_CHECK_INTERVAL,
                DEFAULT_DRAIN_TIMEOUT);
    }

    /**
     * Flow control off: the hub reads every spoke as fast as it can and only the slow-consumer rule applies, as
     * before flow control existed.
     *
     * @return the options
     */
    public static FlowControlOptions off() {
        return OFF;
    }

    /**
     * Flow control with these marks and the default timers.
     *
     * @param highWaterMark see {@link #highWaterMark()}
     * @param lowWaterMark see {@link #lowWaterMark()}
     * @return the options
     * @throws IllegalArgumentException if the marks are not {@code 0 <= lowWaterMark < highWaterMark}
     */
    public static FlowControlOptions of(long highWaterMark, long lowWaterMark) {
        return new FlowControlOptions(true, highWaterMark, lowWaterMark, DEFAULT_CHECK_INTERVAL,
                DEFAULT_DRAIN_TIMEOUT);
    }

    /**
     * A copy with another {@link #checkInterval()}.
     *
     * @param interval the interval, positive
     * @return the copy
     * @throws IllegalArgumentException if the interval is not positive and flow control is enabled
     */
    public FlowControlOptions withCheckInterval(Duration interval) {
        return new FlowControlOptions(this.enabled, this.highWaterMark, this.lowWaterMark, interval,
                this.drainTimeout);
    }

    /**
     * A copy with another {@link #drainTimeout()}.
     *
     * @param timeout the timeout, positive
     * @return the copy
     * @throws IllegalArgumentException if the timeout is not positive and flow control is enabled
     */
    public FlowControlOptions withDrainTimeout(Duration timeout) {
        return new FlowControlOptions(this.enabled, this.highWaterMark, this.lowWaterMark, this.checkInterval,
                timeout);
    }

    private static void requirePositive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
