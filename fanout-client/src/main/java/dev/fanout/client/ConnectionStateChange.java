package dev.fanout.client;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * One transition of a {@link WebSocketClientEventTarget}'s {@link ConnectionState}.
 *
 * @param previous the state before
 * @param current the state after
 * @param attempt the number of the reconnect attempt in progress ({@link ConnectionState#CONNECTING}) or next
 *     ({@link ConnectionState#RECONNECTING}): {@code 1} for the first after a loss, counting up while attempts fail and
 *     starting at {@code 1} again once a connection stayed open for the reconnect max delay; {@code 0} for the first
 *     connection attempt, {@link ConnectionState#OPEN} and {@link ConnectionState#CLOSED}
 * @param closeCode the WebSocket close code that ended the connection or attempt when {@code current} is
 *     {@link ConnectionState#RECONNECTING} or {@link ConnectionState#CLOSED} ({@code 1006} for a connection that failed
 *     without a close frame, including a refused handshake), otherwise {@code 0}
 * @param closeReason the close reason, or a description of the failure; empty if none
 * @param reconnectDelay the wait before the next attempt when {@code current} is {@link ConnectionState#RECONNECTING},
 *     otherwise {@code null}
 */
public record ConnectionStateChange(ConnectionState previous, ConnectionState current, int attempt, int closeCode,
        String closeReason, @Nullable Duration reconnectDelay) {

    /**
     * Validates the change.
     *
     * @throws NullPointerException if a state or the reason is {@code null}
     */
    public ConnectionStateChange {
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(closeReason, "closeReason");
    }
}
