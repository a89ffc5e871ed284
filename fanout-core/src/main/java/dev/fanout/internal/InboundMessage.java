package dev.fanout.internal;

import dev.fanout.Event;
import dev.fanout.HubStatistics.IgnoredReason;

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
     * A message that is ignored, counted by its {@code reason}. {@link #expected() Expected} problems (an invalid
     * topic in a control event) are logged at DEBUG; the others (not JSON, not an event) at a rate-limited WARN.
     */
    record Ignored(IgnoredReason reason, String problem) implements InboundMessage {

        /** Whether the problem is one a well-behaved spoke may cause: an invalid topic in a control event. */
        boolean expected() {
            return this.reason == IgnoredReason.INVALID_TOPIC;
        }
    }
}
