package dev.fanout.sample;

import dev.fanout.Event;
import dev.fanout.WebSocketServerEventTarget;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * Publishes events to the hub's subscribers (the hub counts them, see {@code fanout.events.dispatched}). Thread-safe,
 * like the hub.
 */
@Component
public final class Publisher {

    private final WebSocketServerEventTarget hub;

    /**
     * Creates the publisher.
     *
     * @param hub the hub
     */
    public Publisher(WebSocketServerEventTarget hub) {
        this.hub = hub;
    }

    /**
     * Dispatches {@code {type: topic, payload}} to the subscribers of {@code topic}. Never blocks on a slow spoke.
     *
     * @param topic a valid topic
     * @param payload any value the hub's mapper can serialize, or {@code null} for none
     */
    public void publish(String topic, @Nullable Object payload) {
        this.hub.dispatchEvent(Event.of(topic, payload));
    }
}
