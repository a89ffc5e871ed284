package dev.fanout;

/**
 * Receives the {@link Event}s of one type that spokes send to a hub, together with the spoke that sent each one:
 * register it with {@link WebSocketServerEventTarget#addSpokeEventListener(String, SpokeEventListener)}.
 *
 * <p>One registration on the hub serves every spoke, so an application does not need a listener per connection to
 * know who is talking. A listener that throws is logged by the hub and never stops delivery to the other listeners,
 * nor closes a connection. Invocations for events from one spoke are sequential; invocations for different spokes may
 * run concurrently, so a listener must be thread-safe.
 */
@FunctionalInterface
public interface SpokeEventListener {

    /**
     * Handles one event from a spoke.
     *
     * @param event the event, never {@code null}
     * @param from the spoke that sent it, never {@code null}; {@link SpokeEventTarget#dispatchEvent} answers that
     *     spoke alone
     */
    void onEvent(Event event, SpokeEventTarget from);
}
