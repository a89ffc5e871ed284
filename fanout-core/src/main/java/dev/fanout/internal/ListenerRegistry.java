package dev.fanout.internal;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.fanout.Event;
import dev.fanout.EventListener;
import dev.fanout.ListenerRegistration;

/**
 * The listeners of one event target, by event type. Thread-safe; firing takes no lock. A listener that throws
 * (anything but a {@link VirtualMachineError}) is logged (rate-limited) and the others still run.
 */
final class ListenerRegistry {

    private final ConcurrentMap<String, CopyOnWriteArrayList<EventListener>> listenersByType = new ConcurrentHashMap<>();

    private final RateLimitedLog failureLog;

    ListenerRegistry(RateLimitedLog failureLog) {
        this.failureLog = failureLog;
    }

    ListenerRegistration add(String type, EventListener listener) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(listener, "listener");
        if (type.isEmpty()) {
            throw new IllegalArgumentException("Event type must not be empty");
        }
        this.listenersByType.compute(type, (key, listeners) -> {
            CopyOnWriteArrayList<EventListener> target = (listeners != null) ? listeners : new CopyOnWriteArrayList<>();
            target.addIfAbsent(listener);
            return target;
        });
        return () -> remove(type, listener);
    }

    boolean remove(String type, EventListener listener) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(listener, "listener");
        boolean[] removed = new boolean[1];
        this.listenersByType.computeIfPresent(type, (key, listeners) -> {
            removed[0] = listeners.remove(listener);
            return listeners.isEmpty() ? null : listeners;
        });
        return removed[0];
    }

    void fire(Event event) {
        CopyOnWriteArrayList<EventListener> listeners = this.listenersByType.get(event.type());
        if (listeners == null) {
            return;
        }
        for (EventListener listener : listeners) {
            try {
                listener.onEvent(event);
            }
            catch (Throwable ex) {
                Failures.rethrowIfFatal(ex);
                this.failureLog.warn("Listener {} for '{}' threw; the other listeners still ran", listener,
                        event.type(), ex);
            }
        }
    }
}
