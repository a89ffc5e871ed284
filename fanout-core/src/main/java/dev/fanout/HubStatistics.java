package dev.fanout;

import java.util.List;
import java.util.Locale;

/**
 * A live, read-only view of a hub's figures: counters that only grow from the hub's creation, and gauges of what the
 * hub holds now. Obtained from {@link WebSocketServerEventTarget#statistics()}; monitoring libraries (such as the
 * Spring Boot starter's Micrometer binding) read it, the hub itself never depends on one.
 *
 * <p><b>Thread safety.</b> Every method may be called from any thread at any time. The counters are kept with one
 * uncontended {@link java.util.concurrent.atomic.LongAdder} update per dispatch, per inbound message and per closed
 * spoke, never per subscriber; a reading is a sum taken without locking, so readings taken while traffic flows are
 * each exact for some moment but not a consistent snapshot of all of them together. Counters never decrease.
 *
 * <p><b>Topic prefixes.</b> When the hub was built with {@link WebSocketServerOptions#statisticsTopicPrefixes()}, the
 * event counters are also kept per prefix: each event type counts under the longest configured prefix it starts with,
 * or under {@link #OTHER_PREFIX} when it starts with none. The number of prefixes is bounded by the options, so the
 * figures never grow with the number of topics.
 */
public interface HubStatistics {

    /** The prefix under which events whose type starts with no configured prefix are counted. */
    String OTHER_PREFIX = "other";

    /**
     * Events dispatched to a topic with {@link WebSocketServerEventTarget#dispatchEvent}, each counted once however
     * many spokes it reached (also when it reached none).
     *
     * @return the count since the hub was created
     */
    long eventsDispatched();

    /**
     * Copies of dispatched events handed to a spoke's socket: an event sent to {@code n} subscribers counts {@code n}.
     * Includes the events of other nodes that the {@link Broker} delivered here; events sent to one spoke directly
     * ({@link SpokeEventTarget#dispatchEvent}) are not included.
     *
     * @return the count since the hub was created
     */
    long eventsDelivered();

    /**
     * Application events received from spokes (valid events that are not control events).
     *
     * @return the count since the hub was created
     */
    long eventsReceived();

    /**
     * {@link #eventsDispatched()} restricted to the event types of one prefix.
     *
     * @param prefix one of {@link #topicPrefixes()}
     * @return the count since the hub was created, {@code 0} for a prefix that is not one of them
     */
    long eventsDispatched(String prefix);

    /**
     * {@link #eventsDelivered()} restricted to the event types of one prefix.
     *
     * @param prefix one of {@link #topicPrefixes()}
     * @return the count since the hub was created, {@code 0} for a prefix that is not one of them
     */
    long eventsDelivered(String prefix);

    /**
     * {@link #eventsReceived()} restricted to the event types of one prefix.
     *
     * @param prefix one of {@link #topicPrefixes()}
     * @return the count since the hub was created, {@code 0} for a prefix that is not one of them
     */
    long eventsReceived(String prefix);

    /**
     * The prefixes the event counters are kept for: the configured ones followed by {@link #OTHER_PREFIX}, or empty
     * when none are configured.
     *
     * @return an immutable list
     */
    List<String> topicPrefixes();

    /**
     * Inbound messages from spokes that were ignored for the given reason.
     *
     * @param reason the reason
     * @return the count since the hub was created
     */
    long inboundIgnored(IgnoredReason reason);

    /**
     * Connections that ended with a close code of the given class; a connection the application removed with
     * {@link WebSocketServerEventTarget#removeConnection} without a close is not counted.
     *
     * @param code the class of close code
     * @return the count since the hub was created
     */
    long spokesClosed(CloseCode code);

    /**
     * {@code __subscribe} requests that were refused: the spoke already had the most subscriptions allowed, or the
     * subscription authorizer denied it.
     *
     * @return the count since the hub was created
     */
    long subscriptionsDenied();

    /**
     * The spokes connected now.
     *
     * @return the connection count
     */
    int activeSpokes();

    /**
     * The topics that have at least one subscriber now.
     *
     * @return the topic count
     */
    int activeTopics();

    /**
     * The subscriptions now, summed over all topics (a spoke subscribed to three topics counts three). Costs one pass
     * over the topics.
     *
     * @return the subscription count
     */
    long activeSubscriptions();

    /**
     * The bytes buffered for sending now, summed over all spokes ({@link RawSocket#bufferedAmount()}). Costs one pass
     * over the connections.
     *
     * @return the byte count
     */
    long bufferedBytes();

    /**
     * How many times the hub paused reading a spoke because the fan-out of its events backed subscribers up (see
     * {@link FlowControlOptions}); sockets that cannot pause are not counted.
     *
     * @return the count since the hub was created
     */
    long publisherPauses();

    /**
     * The spokes whose reading the hub has paused now, waiting for their subscribers to drain.
     *
     * @return the count of paused spokes
     */
    int pausedPublishers();

    /**
     * Why an inbound message was ignored; a fixed set, so that a tag by reason stays bounded.
     */
    enum IgnoredReason {

        /** The message is not well-formed JSON. */
        MALFORMED_JSON,

        /** A string in the message is not valid Unicode: it holds an unpaired UTF-16 surrogate. */
        INVALID_TEXT,

        /** The message is JSON but not an event: not an object, no string {@code type}, or a non-string {@code id}. */
        NOT_AN_EVENT,

        /** The event's type is not a valid topic. */
        INVALID_TYPE,

        /** A control event ({@code __…}) that the hub does not know. */
        UNKNOWN_CONTROL,

        /** {@code __subscribe} or {@code __unsubscribe} without a valid {@code payload.topic}. */
        INVALID_TOPIC,

        /** A {@code __subscribe} whose history request ({@code since}, {@code latest}) is malformed. */
        INVALID_REQUEST,

        /** The spoke sent more than its inbound rate limit allows: the message was dropped unread. */
        RATE_LIMITED;

        /**
         * The name used in metric tags: lower case, words separated by {@code _}.
         *
         * @return e.g. {@code malformed_json}
         */
        public String tagValue() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The close codes counted one by one; every other code counts as {@link #OTHER}. A fixed set, so that a tag by
     * code stays bounded.
     */
    enum CloseCode {

        /** 1000 Normal Closure. */
        NORMAL(1000),

        /** 1001 Going Away: the peer left, the server shut down, or a heartbeat timed out. */
        GOING_AWAY(1001),

        /** 1006: the connection dropped without a close frame. */
        ABNORMAL(1006),

        /** 1008 Policy Violation. */
        POLICY_VIOLATION(1008),

        /** 1009 Message Too Big. */
        MESSAGE_TOO_BIG(CloseCodes.MESSAGE_TOO_BIG),

        /** 1011 Internal Error, e.g. a failed send. */
        INTERNAL_ERROR(CloseCodes.INTERNAL_ERROR),

        /** 1013 Try Again Later: a slow consumer. */
        SLOW_CONSUMER(CloseCodes.SLOW_CONSUMER),

        /** Any other code. */
        OTHER(0);

        private final int code;

        CloseCode(int code) {
            this.code = code;
        }

        /**
         * The class of a close code.
         *
         * @param code a WebSocket close status code
         * @return its class, {@link #OTHER} for a code not counted on its own
         */
        public static CloseCode of(int code) {
            for (CloseCode candidate : values()) {
                if (candidate.code == code) {
                    return candidate;
                }
            }
            return OTHER;
        }

        /**
         * The name used in metric tags: the code's number, or {@code other}.
         *
         * @return e.g. {@code 1013}
         */
        public String tagValue() {
            return (this == OTHER) ? "other" : Integer.toString(this.code);
        }
    }
}
