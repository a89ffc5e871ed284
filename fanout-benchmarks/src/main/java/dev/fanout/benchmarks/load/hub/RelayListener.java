package dev.fanout.benchmarks.load.hub;

import org.springframework.stereotype.Component;

import dev.fanout.Event;
import dev.fanout.WebSocketServerEventTarget;
import dev.fanout.spring.listener.FanoutListener;

/**
 * Relays what the publisher sends as {@code bench.publish} to every subscriber of topic {@code bench}, the way an
 * application would broadcast a spoke's message. The payload stays the {@code JsonNode} the hub parsed, so it is
 * written out, not parsed again.
 */
@Component
final class RelayListener {

    static final String PUBLISH_TYPE = "bench.publish";

    static final String TOPIC = "bench";

    private final WebSocketServerEventTarget hub;

    RelayListener(WebSocketServerEventTarget hub) {
        this.hub = hub;
    }

    @FanoutListener(PUBLISH_TYPE)
    void relay(Event event) {
        this.hub.dispatchEvent(Event.of(TOPIC, event.payload()));
    }
}
