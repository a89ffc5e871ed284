package dev.fanout.internal;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;

import dev.fanout.Event;
import dev.fanout.EventListener;
import dev.fanout.ListenerRegistration;
import dev.fanout.SpokeEventListener;
import dev.fanout.SpokeEventTarget;

/**
 * The listeners of one event target, by event type: plain {@link EventListener}s and sender-aware
 * {@link SpokeEventListener}s in one registration order. Thread-safe; firing takes no lock. A listener that throws
 * (anything but a {@link VirtualMachineError}) is logged (rate-limited) and the others still run.
 */
final class ListenerRegistry {

    private final ConcurrentMap<String, CopyOnWriteArrayList<Registered>> listenersByType = new ConcurrentHashMap<>();

    private final RateLimitedLog failureLog;

    ListenerRegistry(RateLimitedLog failureLog) {
        this.failureLog = failureLog;
    }

    ListenerRegistration add(String type, EventListener listener) {
        Objects.requireNonNull(listener, "listener");
        return add(type, new Registered(listener, (event, from) -> listener.onEvent(event)));
    }

    ListenerRegistration add(String type, SpokeEventListener listener) {
        Objects.requireNonNull(listener, "listener");
        return add(type, new Registered(listener, listener));
    }

    boolean remove(String type, Object listener) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(listener, "listener");
        boolean[] removed = new boolean[1];
        this.listenersByType.computeIfPresent(type, (key, listeners) -> {
            removed[0] = listeners.removeIf((registered) -> registered.listener == listener);
            return listeners.isEmpty() ? null : listeners;
        });
        return removed[0];
    }

    void fire(Event event, SpokeEventTarget from) {
        CopyOnWriteArrayList<Registered> listeners = this.listenersByType.get(event.type());
        if (listeners == null) {
            return;
        }
        for (Registered registered : listeners) {
            try {
                registered.invoker.onEvent(event, from);
            }
            catch (Throwable ex) {
                Failures.rethrowIfFatal(ex);
                this.failureLog.warn("Listener {} for '{}' threw; the other listeners still ran", registered.listener,
                        event.type(), ex);
            }
        }
    }

    private ListenerRegistration add(String type, Registered registered) {
        Objects.requireNonNull(type, "type");
        if (type.isEmpty()) {
            throw new IllegalArgumentException("Event type must not be empty");
        }
        this.listenersByType.compute(type, (key, listeners) -> {
            CopyOnWriteArrayList<Registered> target = (listeners != null) ? listeners : new CopyOnWriteArrayList<>();
            target.addIfAbsent(registered);
            return target;
        });
        return () -> remove(type, registered.listener);
    }

    /**
     * One registration: the listener as the application registered it (its identity is the registration's) and how
     * to call it.
     */
    private static final class Registered {

        private final Object listener;

        private final SpokeEventListener invoker;

        Registered(Object listener, SpokeEventListener invoker) {
            this.listener = listener;
            this.invoker = invoker;
        }

        @Override
        public boolean equals(@Nullable Object other) {
            return other instanceof Registered registered && registered.listener == this.listener;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this.listener);
        }
    }
}
