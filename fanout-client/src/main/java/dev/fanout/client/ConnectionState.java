package dev.fanout.client;

/**
 * The state of a {@link WebSocketClientEventTarget}'s connection to its hub.
 *
 * <pre>
 * NEW ──start()──▶ CONNECTING ──opened──▶ OPEN ──lost──▶ RECONNECTING ──delay passed──▶ CONNECTING
 *                      └──────failed──────────────────▶ RECONNECTING
 * any state ──close()──▶ CLOSED (final)
 * </pre>
 */
public enum ConnectionState {

    /**
     * Created by {@link WebSocketClientEventTarget#create}, not started: listeners, subscriptions and events can be
     * registered and queued before the first connection attempt.
     */
    NEW,

    /** A connection attempt (the first one, or one after a reconnect delay) is in progress. */
    CONNECTING,

    /** Connected: subscriptions were sent again and queued events are being written. */
    OPEN,

    /** The connection was lost or an attempt failed; the client waits for the backoff delay before the next one. */
    RECONNECTING,

    /** Closed by {@link WebSocketClientEventTarget#close()}; final. */
    CLOSED
}
