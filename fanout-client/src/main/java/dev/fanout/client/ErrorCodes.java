package dev.fanout.client;

/**
 * The error codes of protocol 1.1's {@code __error} replies (see {@code docs/protocol.md}), as
 * {@link HubErrorException#code()} carries them. A hub may send others; compare with {@code equals}.
 */
public final class ErrorCodes {

    /** The topic is not a valid topic (empty, too long, whitespace, or starting with {@code __}). */
    public static final String INVALID_TOPIC = "invalid_topic";

    /** The hub's authorizer denied the subscription. */
    public static final String FORBIDDEN = "forbidden";

    /** The connection already holds the most subscriptions the hub allows. */
    public static final String SUBSCRIPTION_LIMIT = "subscription_limit";

    /** The connection sent more than the hub's inbound rate limit allows. */
    public static final String RATE_LIMITED = "rate_limited";

    /** The hub does not know the control event type. */
    public static final String UNKNOWN_TYPE = "unknown_type";

    /** The hub failed while handling the request. */
    public static final String INTERNAL = "internal";

    private ErrorCodes() {
    }
}
