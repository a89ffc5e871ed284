package dev.fanout;

import java.time.Duration;
import java.util.Objects;

/**
 * The per-connection limit on the messages a spoke sends, as a token bucket: a connection may send {@link #burst()}
 * messages at once and {@link #messagesPerSecond()} on average. A message over the limit is dropped (and counted in
 * {@link WebSocketServerEventTarget#droppedInboundMessageCount()}); if it carried an {@code id}, the spoke gets an
 * {@code __error} with code {@code rate_limited}. A spoke that stays over the limit for {@link #closeAfter()} is closed
 * with {@link CloseCodes#POLICY_VIOLATION 1008}.
 *
 * <p>A spoke stays over the limit from its first dropped message for as long as further messages are dropped less
 * than a second apart (or less than two token intervals, {@code 2 / messagesPerSecond}, if that is longer): a spoke
 * sending at twice the rate loses every other message and is closed after {@code closeAfter}; one that briefly bursts
 * loses a few and carries on.
 *
 * @param messagesPerSecond the average rate allowed, positive; {@link Double#POSITIVE_INFINITY} for no limit
 * @param burst the most messages allowed at once, positive
 * @param closeAfter how long a spoke may stay over the limit before it is closed, positive
 */
public record InboundRateLimit(double messagesPerSecond, int burst, Duration closeAfter) {

    private static final InboundRateLimit UNLIMITED = new InboundRateLimit(Double.POSITIVE_INFINITY, Integer.MAX_VALUE,
            Duration.ofSeconds(Long.MAX_VALUE));

    /**
     * Validates the limit.
     *
     * @throws IllegalArgumentException if a value is not positive, or the rate is not a number
     */
    public InboundRateLimit {
        if (!(messagesPerSecond > 0)) {
            throw new IllegalArgumentException("messagesPerSecond must be positive, was " + messagesPerSecond);
        }
        if (burst <= 0) {
            throw new IllegalArgumentException("burst must be positive, was " + burst);
        }
        Objects.requireNonNull(closeAfter, "closeAfter");
        if (closeAfter.isNegative() || closeAfter.isZero()) {
            throw new IllegalArgumentException("closeAfter must be positive, was " + closeAfter);
        }
    }

    /**
     * No limit: the hub's default, as in protocol 1. (The Spring Boot starter sets a generous limit.)
     *
     * @return the unlimited limit
     */
    public static InboundRateLimit unlimited() {
        return UNLIMITED;
    }

    /**
     * A limit.
     *
     * @param messagesPerSecond the average rate allowed, positive
     * @param burst the most messages allowed at once, positive
     * @param closeAfter how long a spoke may stay over the limit before it is closed with 1008, positive
     * @return the limit
     * @throws IllegalArgumentException if a value is not positive
     */
    public static InboundRateLimit of(double messagesPerSecond, int burst, Duration closeAfter) {
        return new InboundRateLimit(messagesPerSecond, burst, closeAfter);
    }

    /**
     * Whether this is no limit at all.
     *
     * @return {@code true} for {@link #unlimited()} and any other infinite rate
     */
    public boolean isUnlimited() {
        return this.messagesPerSecond == Double.POSITIVE_INFINITY;
    }
}
