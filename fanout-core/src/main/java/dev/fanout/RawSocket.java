package dev.fanout;

import java.security.Principal;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The one server-side WebSocket connection the hub needs to see: the small interface every WebSocket
 * implementation adapts to (Spring's {@code WebSocketSession} in the starter, an in-memory socket in tests).
 *
 * <p><b>Thread safety.</b> Every method may be called from any thread at any time. {@link #send} never blocks its
 * caller: it queues the message, and messages queued by one thread are written in the order they were queued.
 *
 * <p><b>Listener calls.</b> The socket calls its {@link Listener} sequentially, never concurrently for one socket
 * (different sockets may call their listeners concurrently). {@link Listener#onClose} is called at most once and is
 * the last call.
 *
 * <p><b>States.</b> A socket starts open. It becomes closed when {@link #close} is called, when the peer closes it, or
 * when the transport fails; closed is final. After that {@link #isOpen()} returns {@code false}, {@link #send} throws
 * {@link IllegalStateException}, and {@link #close} does nothing.
 */
public interface RawSocket {

    /**
     * Queues a text message for sending and returns at once, without waiting for the network.
     *
     * <p>Failures are reported in two ways: a socket that cannot accept the message now (closed, or failed) throws
     * {@link IllegalStateException}; a write that fails later closes the socket, which calls
     * {@link Listener#onClose} with status 1006 (abnormal closure) or 1011 (internal error).
     *
     * @param text the message
     * @throws IllegalStateException if the socket is closed or cannot queue the message
     */
    void send(String text);

    /**
     * The number of bytes accepted by {@link #send} but not yet written to the network, like the browser's
     * {@code WebSocket.bufferedAmount}: the hub compares it with its backpressure threshold before every send.
     *
     * @return the buffered byte count, {@code 0} or more
     */
    long bufferedAmount();

    /**
     * Starts a graceful close with a status code and reason, and returns without waiting for the peer. Queued
     * messages may be dropped. Does nothing if the socket is already closed or closing.
     *
     * @param code the close status code (RFC 6455 section 7.4), e.g. 1013 for a slow consumer
     * @param reason a short human-readable reason, at most 123 UTF-8 bytes
     */
    void close(int code, String reason);

    /**
     * Whether the socket is open: {@code false} once it is closed or closing.
     *
     * @return whether messages can still be sent
     */
    boolean isOpen();

    /**
     * Sets the listener that receives this socket's inbound messages and its close (the browser's {@code onmessage}
     * and {@code onclose}), replacing any previous one; {@code null} detaches it. Messages that arrive while no
     * listener is set are discarded.
     *
     * @param listener the listener, or {@code null}
     */
    void setListener(@Nullable Listener listener);

    /**
     * The authenticated user of the handshake that opened this socket, if the adapter knows one: what a
     * {@link SubscriptionAuthorizer} reads through {@link SpokeEventTarget#principal()}. The starter returns the
     * request's principal (Spring Security's {@code Authentication} when it is in use). Adapters written for protocol 1
     * inherit this default and have no principal.
     *
     * @return the principal, or {@code null} for an anonymous spoke
     */
    default @Nullable Principal principal() {
        return null;
    }

    /**
     * The attributes the adapter collected during the handshake (for example by Spring handshake interceptors),
     * read-only. Adapters written for protocol 1 inherit this default and have none.
     *
     * @return an unmodifiable map, possibly empty
     */
    default Map<String, Object> attributes() {
        return Map.of();
    }

    /**
     * Stops reading inbound messages from the peer until {@link #resumeReading()}, so that TCP pushes back on it: the
     * hub's flow control calls it while the fan-out of this spoke's events backs subscribers up (see
     * {@link FlowControlOptions}). The message being delivered to the listener when it is called finishes; the
     * following ones wait in the transport (and the peer's send buffers) until reading resumes, none is lost, and
     * none is delivered meanwhile, though an adapter may still deliver the rest of a message it had already started
     * reading. Pongs are not read either, so an adapter with a heartbeat must not judge a paused socket silent.
     * Sending, {@link #bufferedAmount()} and {@link #close} are unaffected; a close from either side still completes.
     *
     * <p>Thread-safe and idempotent; may be called from any thread, including from within a listener call of this
     * socket, and must not block. Adapters written for protocol 1 inherit this default, cannot pause, and are never
     * asked to resume.
     *
     * @return {@code true} if the socket is paused now (or was already); {@code false} if it cannot pause, in which
     *     case the hub never calls {@link #resumeReading()} for this call
     */
    default boolean pauseReading() {
        return false;
    }

    /**
     * Reads inbound messages again after {@link #pauseReading()}; messages that waited are delivered in order, on
     * the socket's usual thread, or (for an adapter that delivers them itself) on the calling thread. Thread-safe
     * and idempotent; does nothing on a socket that is not paused or is closed, and must not block.
     */
    default void resumeReading() {
    }

    /**
     * Receives what arrives on a {@link RawSocket}. Calls for one socket are sequential; see {@link RawSocket}.
     */
    interface Listener {

        /**
         * A text message arrived.
         *
         * @param text the whole message
         */
        void onText(String text);

        /**
         * A binary message arrived.
         *
         * @param data the whole message; the listener may keep it
         */
        void onBinary(byte[] data);

        /**
         * The socket closed, for whatever reason. The last call this listener receives.
         *
         * @param code the close status code (1006 if the connection dropped without a close frame)
         * @param reason the reason, possibly empty
         */
        void onClose(int code, String reason);
    }
}
