package dev.fanout.sample;

import dev.fanout.Event;
import dev.fanout.WebSocketServerEventTarget;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * Publishes events to the hub's subscribers and counts them. Thread-safe, like the hub.
 */
@Component
public final class Publisher {

    private final WebSocketServerEventTarget hub;

    private final ActivityCounters counters;

    /**
     * Creates the publisher.
     *
     * @param hub the hub
     * @param counters the counters to update
     */
    public Publisher(WebSocketServerEventTarget hub, ActivityCounters counters) {
        this.hub = hub;
        this.counters = counters;
    }

    /**
     * Dispatches {@code {type: topic, payload}} to the subscribers of {@code topic}. Never blocks on a slow spoke.
     *
     * @param topic a valid topic
     * @param payload any value the hub's mapper can serialize, or {@code null} for none
     */
    public void publish(String topic, @Nullable Object payload) {
        this.hub.dispatchEvent(Event.of(topic, payload));
        this.counters.eventSent();
    }
}
