package dev.fanout.sample;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import dev.fanout.Event;
import dev.fanout.client.SubscribeOptions;
import dev.fanout.client.WebSocketClientEventTarget;

import static org.awaitility.Awaitility.await;

/**
 * The events of one type that a fanout client ({@link WebSocketClientEventTarget}, the project's own Java spoke)
 * received, in arrival order. Thread-safe: the client's delivery thread adds, the test waits and reads.
 */
final class Inbox {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final List<Event> events = new CopyOnWriteArrayList<>();

    private Inbox() {
    }

    /**
     * Records the client's events of a topic and subscribes to it; returns once the hub acknowledged, so that every
     * event dispatched from then on reaches the inbox.
     */
    static Inbox subscribe(WebSocketClientEventTarget client, String topic) {
        return subscribe(client, topic, SubscribeOptions.DEFAULT);
    }

    static Inbox subscribe(WebSocketClientEventTarget client, String topic, SubscribeOptions options) {
        Inbox inbox = listen(client, topic);
        client.subscribe(topic, options).join();
        return inbox;
    }

    /** Records the client's events of a type without subscribing, e.g. the hub's {@code __error} replies. */
    static Inbox listen(WebSocketClientEventTarget client, String type) {
        Inbox inbox = new Inbox();
        client.addEventListener(type, inbox.events::add);
        return inbox;
    }

    List<Event> events() {
        return List.copyOf(this.events);
    }

    /** Waits for the first event and returns it. */
    Event awaitFirst() {
        return awaitEvent((event) -> true);
    }

    /** Waits for an event that matches and returns the first one. */
    Event awaitEvent(Predicate<Event> matching) {
        await().atMost(WAIT).until(() -> this.events.stream().anyMatch(matching));
        return this.events.stream().filter(matching).findFirst().orElseThrow();
    }
}
