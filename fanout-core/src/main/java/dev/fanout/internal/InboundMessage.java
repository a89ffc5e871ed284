package dev.fanout.internal;

import org.jspecify.annotations.Nullable;

import dev.fanout.Event;
import dev.fanout.HubStatistics.IgnoredReason;

/**
 * What one inbound WebSocket message from a spoke turned out to be.
 */
sealed interface InboundMessage {

    /**
     * The correlation id the spoke gave this message, which a reply must carry.
     *
     * @return the id, or {@code null} if the message has none (then it gets no reply)
     */
    @Nullable String replyId();

    /**
     * The topic the message is about, for a reply's {@code payload.topic}.
     *
     * @return the topic, or {@code null} if it is not known
     */
    @Nullable String topic();

    /** An application event for the hub's and the spoke's listeners. */
    record SpokeEvent(Event event) implements InboundMessage {

        @Override
        public @Nullable String replyId() {
            return this.event.id();
        }

        @Override
        public String topic() {
            return this.event.type();
        }
    }

    /** {@code __subscribe} with a valid topic and, in protocol 1.1, an optional id that asks for a reply. */
    record Subscribe(String topic, @Nullable String replyId) implements InboundMessage {

        Subscribe(String topic) {
            this(topic, null);
        }
    }

    /** {@code __unsubscribe} with a valid topic and, in protocol 1.1, an optional id that asks for a reply. */
    record Unsubscribe(String topic, @Nullable String replyId) implements InboundMessage {

        Unsubscribe(String topic) {
            this(topic, null);
        }
    }

    /**
     * A control event with an id that cannot be carried out: ignored as in protocol 1 (and counted by its
     * {@code reason}), and answered with an {@code __error} of the {@code code}.
     */
    record RefusedControl(IgnoredReason reason, String problem, String replyId, @Nullable String topic,
            String code) implements InboundMessage {

        /** Whether the problem is one a well-behaved spoke may cause: an invalid topic in a control event. */
        boolean expected() {
            return this.reason == IgnoredReason.INVALID_TOPIC;
        }
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

        @Override
        public @Nullable String replyId() {
            return null;
        }

        @Override
        public @Nullable String topic() {
            return null;
        }
    }
}
