package dev.fanout.sample;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.fanout.client.ConnectionStateChange;
import dev.fanout.client.WebSocketClientEventTarget;

/**
 * The state transitions of a fanout client from now on: none means its connection stayed open all along.
 */
final class Transitions {

    private Transitions() {
    }

    /**
     * Records the client's transitions from now on.
     *
     * @return a live, thread-safe list
     */
    static List<ConnectionStateChange> from(WebSocketClientEventTarget client) {
        List<ConnectionStateChange> changes = new CopyOnWriteArrayList<>();
        client.addStateListener(changes::add);
        return changes;
    }
}
