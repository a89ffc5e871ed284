package dev.fanout;

import java.security.Principal;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

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

    /**
     * Tells this spoke that the hub refused an event it sent: if the event carries an {@code id}, sends the spoke
     * {@code {"type":"__error","id":<id>,"payload":{"topic":<the event's type>,"code":<code>,"message":<message>}}};
     * if it has none, sends nothing (a spoke that wants to hear about refusals sends ids). Meant for application
     * listeners that validate what spokes send. Subject to the hub's backpressure check, like
     * {@link #dispatchEvent}.
     *
     * @param refused the event the spoke sent
     * @param code a stable code the application chooses, following {@link ErrorCodes#isValid}
     *     ({@code invalid_message}, say)
     * @param message a short text for people, saying why
     * @throws IllegalArgumentException if {@code code} does not follow the rule of {@link ErrorCodes#isValid}
     */
    void reject(Event refused, String code, String message);

    /**
     * The authenticated user of the handshake, as the adapter attached it to the {@link #socket()}.
     *
     * @return the principal, or {@code null} for an anonymous spoke
     */
    default @Nullable Principal principal() {
        return socket().principal();
    }

    /**
     * The handshake attributes the adapter attached to the {@link #socket()}.
     *
     * @return an unmodifiable map, possibly empty
     */
    default Map<String, Object> attributes() {
        return socket().attributes();
    }
}
