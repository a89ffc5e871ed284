package dev.fanout.client;

/**
 * Told of every {@link ConnectionState} transition of a {@link WebSocketClientEventTarget}, in order, on the client's
 * delivery thread (see {@link WebSocketClientEventTarget}). A listener that throws is logged and changes nothing.
 */
@FunctionalInterface
public interface ConnectionStateListener {

    /**
     * Handles one transition.
     *
     * @param change the transition
     */
    void onStateChange(ConnectionStateChange change);
}
