package dev.fanout.spring.websocket;

import java.time.Duration;
import java.util.Objects;

/**
 * How the starter runs each WebSocket connection: limits and timers of {@link WebSocketSessionRawSocket}.
 *
 * @param sendStallTimeout how long one send may stay unfinished before the spoke counts as a slow consumer and is
 *     closed with 1013
 * @param heartbeatInterval how often an open connection is pinged
 * @param heartbeatTimeout how long a connection may stay silent (no message, no pong) before it counts as dropped
 * @param maxMessageSize the largest inbound message, in bytes for binary and chars for text; larger ones close the
 *     connection with 1009
 */
public record SocketSettings(Duration sendStallTimeout, Duration heartbeatInterval, Duration heartbeatTimeout,
        int maxMessageSize) {

    /**
     * Validates the settings.
     *
     * @throws IllegalArgumentException if a duration or the size is not positive
     */
    public SocketSettings {
        requirePositive("sendStallTimeout", sendStallTimeout);
        requirePositive("heartbeatInterval", heartbeatInterval);
        requirePositive("heartbeatTimeout", heartbeatTimeout);
        if (maxMessageSize <= 0) {
            throw new IllegalArgumentException("maxMessageSize must be positive, was " + maxMessageSize);
        }
    }

    private static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
