package dev.fanout;

/**
 * Receives the {@link Event}s of one type from a {@link TypedEventTarget}.
 *
 * <p>A listener that throws is logged by the target and never stops delivery to the other listeners, nor closes a
 * connection. Invocations for events from one spoke are sequential; invocations for different spokes may run
 * concurrently, so a listener shared by many spokes must be thread-safe.
 */
@FunctionalInterface
public interface EventListener {

    /**
     * Handles one event.
     *
     * @param event the event, never {@code null}
     */
    void onEvent(Event event);
}
