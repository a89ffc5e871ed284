package dev.fanout;

/**
 * The handle returned by {@link TypedEventTarget#addEventListener(String, EventListener)}: removes that one
 * registration, which is easier than removing a lambda by identity.
 *
 * <p>Thread-safe and idempotent: removing twice, or after {@link TypedEventTarget#removeEventListener}, does nothing.
 */
@FunctionalInterface
public interface ListenerRegistration extends AutoCloseable {

    /** Removes the listener from its target; after this returns it receives no further events. */
    void remove();

    /** Same as {@link #remove()}, so a registration can live in a try-with-resources block. */
    @Override
    default void close() {
        remove();
    }
}
