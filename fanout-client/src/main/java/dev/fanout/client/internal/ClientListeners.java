package dev.fanout.client.internal;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import dev.fanout.Event;
import dev.fanout.EventListener;
import dev.fanout.ListenerRegistration;
import dev.fanout.client.ConnectionStateChange;
import dev.fanout.client.ConnectionStateListener;
import dev.fanout.client.HubErrorException;
import dev.fanout.client.SubscriptionAck;
import dev.fanout.client.SubscriptionListener;

/**
 * Every listener of one client: event listeners by type, state listeners and subscription listeners. Registration is
 * thread-safe and firing takes no lock (copy-on-write lists: a fire sees the registrations that happened before it
 * read the list). A listener that throws is logged, rate-limited, and the others still run.
 */
final class ClientListeners {

    private final ConcurrentMap<String, CopyOnWriteArrayList<EventListener>> eventListeners = new ConcurrentHashMap<>();

    private final List<ConnectionStateListener> stateListeners = new CopyOnWriteArrayList<>();

    private final List<SubscriptionListener> subscriptionListeners = new CopyOnWriteArrayList<>();

    private final RateLimitedLog failureLog;

    ClientListeners(RateLimitedLog failureLog) {
        this.failureLog = failureLog;
    }

    ListenerRegistration addEventListener(String type, EventListener listener) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(listener, "listener");
        if (type.isEmpty()) {
            throw new IllegalArgumentException("Event type must not be empty");
        }
        this.eventListeners.compute(type, (key, listeners) -> {
            CopyOnWriteArrayList<EventListener> list = (listeners != null) ? listeners : new CopyOnWriteArrayList<>();
            list.addIfAbsent(listener);
            return list;
        });
        return () -> removeEventListener(type, listener);
    }

    boolean removeEventListener(String type, EventListener listener) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(listener, "listener");
        boolean[] removed = new boolean[1];
        this.eventListeners.computeIfPresent(type, (key, listeners) -> {
            removed[0] = listeners.removeIf((registered) -> registered == listener);
            return listeners.isEmpty() ? null : listeners;
        });
        return removed[0];
    }

    ListenerRegistration addStateListener(ConnectionStateListener listener) {
        return add(this.stateListeners, listener);
    }

    ListenerRegistration addSubscriptionListener(SubscriptionListener listener) {
        return add(this.subscriptionListeners, listener);
    }

    void fireEvent(Event event) {
        List<EventListener> listeners = this.eventListeners.get(event.type());
        if (listeners != null) {
            fire(listeners, (listener) -> listener.onEvent(event), event.type());
        }
    }

    void fireStateChange(ConnectionStateChange change) {
        fire(this.stateListeners, (listener) -> listener.onStateChange(change), "state change");
    }

    void fireRestored(SubscriptionAck ack) {
        fire(this.subscriptionListeners, (listener) -> listener.onRestored(ack), ack.topic());
    }

    void fireRefused(String topic, HubErrorException error) {
        fire(this.subscriptionListeners, (listener) -> listener.onRefused(topic, error), topic);
    }

    private static <L> ListenerRegistration add(List<L> listeners, L listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.removeIf((registered) -> registered == listener);
    }

    private <L> void fire(List<L> listeners, Consumer<L> call, String what) {
        for (L listener : listeners) {
            try {
                call.accept(listener);
            }
            catch (VirtualMachineError error) {
                throw error;
            }
            catch (Throwable ex) {
                this.failureLog.warn("Listener {} failed on {}", listener, what, ex);
            }
        }
    }
}
