package dev.fanout;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiPredicate;

/**
 * Decides whether a spoke may subscribe to a topic: the hub asks it for every {@code __subscribe} with a valid topic
 * (not for topics the spoke already holds), and the spoke receives nothing of that topic until it allowed.
 *
 * <p>The answer may come later, on any thread: real checks call services. The hub applies its
 * {@linkplain WebSocketServerOptions#authorizationTimeout() authorization timeout}; an authorizer that throws, returns
 * {@code null}, completes exceptionally or times out <b>denies</b>, and the hub logs it (rate-limited). A denial is an
 * {@code __error} with code {@code forbidden} to a subscribe that carried an {@code id} (silence otherwise); the
 * connection stays open.
 *
 * <p>Implementations must be thread-safe: the hub calls them concurrently for different spokes, and must not block
 * the calling thread (it delivers the spoke's messages); return an incomplete stage instead.
 */
@FunctionalInterface
public interface SubscriptionAuthorizer {

    /** Allows every subscription: the behaviour of protocol 1, and the hub's default. */
    SubscriptionAuthorizer ALLOW_ALL = new SubscriptionAuthorizer() {

        private final CompletionStage<AuthorizationDecision> allowed = CompletableFuture
            .completedStage(AuthorizationDecision.allow());

        @Override
        public CompletionStage<AuthorizationDecision> authorize(SpokeEventTarget spoke, String topic) {
            return this.allowed;
        }

        @Override
        public String toString() {
            return "SubscriptionAuthorizer.ALLOW_ALL";
        }
    };

    /**
     * Decides on one subscribe.
     *
     * @param spoke the spoke that asks, with the {@linkplain SpokeEventTarget#principal() principal} and
     *     {@linkplain SpokeEventTarget#attributes() handshake attributes} its adapter attached
     * @param topic the valid topic it wants
     * @return the decision, now or later
     */
    CompletionStage<AuthorizationDecision> authorize(SpokeEventTarget spoke, String topic);

    /**
     * An authorizer for a rule that can be decided at once, without calling anything that blocks: allows when the
     * rule holds, denies with the generic reason otherwise.
     *
     * @param rule the rule, given the spoke and the topic; must be thread-safe
     * @return the authorizer
     */
    static SubscriptionAuthorizer allowingWhen(BiPredicate<SpokeEventTarget, String> rule) {
        Objects.requireNonNull(rule, "rule");
        CompletionStage<AuthorizationDecision> allowed = CompletableFuture.completedStage(AuthorizationDecision.allow());
        CompletionStage<AuthorizationDecision> denied = CompletableFuture.completedStage(AuthorizationDecision.deny());
        return (spoke, topic) -> rule.test(spoke, topic) ? allowed : denied;
    }
}
