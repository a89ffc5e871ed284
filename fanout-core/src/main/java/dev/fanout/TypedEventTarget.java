package dev.fanout;

/**
 * Something that sends {@link Event}s and lets listeners receive events by type: the Java form of the DOM's
 * {@code EventTarget}, keyed by {@link Event#type()}.
 *
 * <p>All methods are thread-safe. {@code null} arguments are rejected with {@link NullPointerException}.
 */
public interface TypedEventTarget {

    /**
     * Registers a listener for the events of one type. The same listener may be registered for several types;
     * registering it twice for one type registers it once.
     *
     * @param type the event type (topic), non-empty
     * @param listener the listener
     * @return a handle that removes this registration
     * @throws IllegalArgumentException if {@code type} is empty
     */
    ListenerRegistration addEventListener(String type, EventListener listener);

    /**
     * Removes a listener registered for a type.
     *
     * @param type the event type the listener was registered for
     * @param listener the listener, compared by identity
     * @return {@code true} if it was registered and is now removed, {@code false} if it was not registered
     */
    boolean removeEventListener(String type, EventListener listener);

    /**
     * Sends an event. What "sends" means depends on the target; see the implementing type.
     *
     * @param event the event
     * @return {@code true}: delivery errors are handled as side effects (a slow or broken connection is closed and
     *     removed), never reported to the caller
     */
    boolean dispatchEvent(Event event);
}
