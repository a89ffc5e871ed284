package dev.fanout.internal;

import dev.fanout.Event;

/**
 * What one inbound WebSocket message from a spoke turned out to be.
 */
sealed interface InboundMessage {

    /** An application event for the hub's and the spoke's listeners. */
    record SpokeEvent(Event event) implements InboundMessage {
    }

    /** {@code __subscribe} with a valid topic. */
    record Subscribe(String topic) implements InboundMessage {
    }

    /** {@code __unsubscribe} with a valid topic. */
    record Unsubscribe(String topic) implements InboundMessage {
    }

    /**
     * A message that is ignored. {@code expected} problems (an invalid topic in a control event) are logged at DEBUG;
     * the others (not JSON, not an event) at a rate-limited WARN.
     */
    record Ignored(String problem, boolean expected) implements InboundMessage {
    }
}
