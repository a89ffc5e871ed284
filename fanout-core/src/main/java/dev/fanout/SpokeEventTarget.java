package dev.fanout;

import java.util.Set;

/**
 * The hub's view of one connected spoke: its {@link #dispatchEvent(Event)} sends an event to this spoke alone (a
 * direct message, whatever the spoke subscribed to), and its listeners receive only the events this spoke sends.
 *
 * <p>Thread-safe. After the spoke disconnects, {@link #dispatchEvent} sends nothing and {@link #isConnected()}
 * returns {@code false}.
 */
public interface SpokeEventTarget extends TypedEventTarget {

    /**
     * The socket of this spoke, as it was handed to {@link WebSocketServerEventTarget#addConnection(RawSocket)}.
     *
     * @return the socket
     */
    RawSocket socket();

    /**
     * The topics this spoke is subscribed to now.
     *
     * @return an immutable snapshot
     */
    Set<String> subscriptions();

    /**
     * Whether the spoke is still connected to the hub.
     *
     * @return {@code false} once the connection was removed, for whatever reason
     */
    boolean isConnected();

    /**
     * Sends the event to this spoke only, subject to the hub's backpressure check. In a cluster it stays on this
     * node: it never goes through the {@link Broker}.
     *
     * @param event the event
     * @return {@code true}, always; a failed send closes and removes the connection
     * @throws IllegalArgumentException if the hub's mapper cannot serialize the payload (nothing is sent then)
     */
    @Override
    boolean dispatchEvent(Event event);
}
