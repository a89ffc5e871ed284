package dev.fanout;

import java.util.Objects;

/**
 * The {@code code}s of the {@code __error} replies the hub sends (protocol 1.1, {@code docs/protocol.md}), and the rule
 * for the codes an application chooses in {@link SpokeEventTarget#reject}.
 *
 * <p>A code is a stable, machine-readable string: 1 to 64 characters from {@code a-z}, {@code 0-9} and {@code _},
 * starting with a letter. Spokes branch on the code; the {@code message} next to it is for people and may change.
 */
public final class ErrorCodes {

    /** The topic of a control event is missing or not a valid topic. */
    public static final String INVALID_TOPIC = "invalid_topic";

    /** The application's {@link SubscriptionAuthorizer} denied the subscription (or failed, or timed out). */
    public static final String FORBIDDEN = "forbidden";

    /** The connection already holds (or awaits) the most subscriptions the hub allows per connection. */
    public static final String SUBSCRIPTION_LIMIT = "subscription_limit";

    /** The message was dropped because the connection is over its inbound rate limit. */
    public static final String RATE_LIMITED = "rate_limited";

    /**
     * A member of a control event's payload other than the topic is malformed: a {@code since} that is not
     * {@code {"epoch":<non-empty string>,"offset":<integer ≥ 0>}}, or a {@code latest} that is not a boolean. The
     * subscribe is not carried out.
     */
    public static final String INVALID_REQUEST = "invalid_request";

    /** A {@code __}-prefixed type the hub does not know. */
    public static final String UNKNOWN_TYPE = "unknown_type";

    /** The hub failed to carry out the request, for example the cluster broker did not confirm a subscription. */
    public static final String INTERNAL = "internal";

    /**
     * A {@code __subscribe} that was still waiting for its authorization or confirmation when an {@code __unsubscribe}
     * of the same topic arrived: the later unsubscribe wins, and the subscription never took effect. Neither an
     * acknowledgement nor any other code would tell the spoke the truth here.
     */
    public static final String CANCELLED = "cancelled";

    private static final int MAX_LENGTH = 64;

    private ErrorCodes() {
    }

    /**
     * Whether the text is a valid code: 1 to 64 characters from {@code a-z}, {@code 0-9} and {@code _}, starting with
     * a letter.
     *
     * @param code the candidate
     * @return whether it follows the rule
     */
    public static boolean isValid(String code) {
        Objects.requireNonNull(code, "code");
        if (code.isEmpty() || code.length() > MAX_LENGTH || !isLetter(code.charAt(0))) {
            return false;
        }
        for (int i = 1; i < code.length(); i++) {
            char c = code.charAt(i);
            if (!isLetter(c) && !(c >= '0' && c <= '9') && c != '_') {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns the code if it is valid.
     *
     * @param code the candidate
     * @return the code
     * @throws IllegalArgumentException if it does not follow the rule of {@link #isValid}
     */
    public static String requireValid(String code) {
        if (!isValid(code)) {
            throw new IllegalArgumentException("An error code is 1 to 64 chars of a-z, 0-9 and _, starting with a "
                    + "letter; was '" + code + "'");
        }
        return code;
    }

    private static boolean isLetter(char c) {
        return c >= 'a' && c <= 'z';
    }
}
