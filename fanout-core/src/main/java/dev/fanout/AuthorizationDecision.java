package dev.fanout;

import org.jspecify.annotations.Nullable;

/**
 * What a {@link SubscriptionAuthorizer} decided about one subscribe.
 *
 * @param allowed whether the spoke may subscribe
 * @param reason for a denial, a short text for people that the spoke receives as the {@code message} of its
 *     {@code forbidden} error; {@code null} for the hub's generic text. Do not put secrets in it.
 */
public record AuthorizationDecision(boolean allowed, @Nullable String reason) {

    private static final AuthorizationDecision ALLOW = new AuthorizationDecision(true, null);

    private static final AuthorizationDecision DENY = new AuthorizationDecision(false, null);

    /**
     * Allows the subscription.
     *
     * @return the decision
     */
    public static AuthorizationDecision allow() {
        return ALLOW;
    }

    /**
     * Denies the subscription with the hub's generic reason.
     *
     * @return the decision
     */
    public static AuthorizationDecision deny() {
        return DENY;
    }

    /**
     * Denies the subscription with a reason the spoke will read.
     *
     * @param reason a short text for people
     * @return the decision
     */
    public static AuthorizationDecision deny(String reason) {
        return new AuthorizationDecision(false, reason);
    }
}
