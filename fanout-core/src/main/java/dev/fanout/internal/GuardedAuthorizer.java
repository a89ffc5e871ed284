package dev.fanout.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.jspecify.annotations.Nullable;

import dev.fanout.AuthorizationDecision;
import dev.fanout.SpokeEventTarget;
import dev.fanout.SubscriptionAuthorizer;
import dev.fanout.TimeSource;

/**
 * Asks the application's {@link SubscriptionAuthorizer} and turns everything that can go wrong into a denial: an
 * authorizer that throws, returns {@code null}, fails or does not answer within the timeout denies, and is logged
 * (rate-limited). Thread-safe.
 */
final class GuardedAuthorizer {

    private static final AuthorizationDecision FAILED = AuthorizationDecision.deny("authorization failed");

    private static final AuthorizationDecision TIMED_OUT = AuthorizationDecision.deny("authorization timed out");

    private final SubscriptionAuthorizer authorizer;

    private final Duration timeout;

    private final TimeSource timeSource;

    private final RateLimitedLog failureLog;

    GuardedAuthorizer(SubscriptionAuthorizer authorizer, Duration timeout, TimeSource timeSource,
            RateLimitedLog failureLog) {
        this.authorizer = authorizer;
        this.timeout = timeout;
        this.timeSource = timeSource;
        this.failureLog = failureLog;
    }

    /**
     * Asks for a decision. The stage never completes exceptionally; it is complete on return when the authorizer
     * answered at once, and no timer is scheduled then.
     */
    CompletionStage<AuthorizationDecision> authorize(SpokeEventTarget spoke, String topic) {
        CompletableFuture<AuthorizationDecision> decided = new CompletableFuture<>();
        try {
            CompletionStage<AuthorizationDecision> answer = this.authorizer.authorize(spoke, topic);
            if (answer == null) {
                return completedWith(failed(spoke, topic, "returned null instead of a CompletionStage", null));
            }
            answer.whenComplete((decision, failure) -> decided.complete(checked(decision, failure, spoke, topic)));
        }
        catch (Throwable ex) {
            Failures.rethrowIfFatal(ex);
            return completedWith(failed(spoke, topic, "threw", ex));
        }
        if (!decided.isDone()) {
            TimeSource.Cancellable timer = this.timeSource.schedule(this.timeout, () -> {
                if (decided.complete(TIMED_OUT)) {
                    this.failureLog.warn("The subscription authorizer did not answer within {} for '{}' of {}; "
                            + "denied", this.timeout, RateLimitedLog.excerpt(topic), spoke);
                }
            });
            decided.whenComplete((decision, failure) -> timer.cancel());
        }
        return decided;
    }

    private AuthorizationDecision checked(@Nullable AuthorizationDecision decision, @Nullable Throwable failure,
            SpokeEventTarget spoke, String topic) {
        if (failure != null) {
            return failed(spoke, topic, "failed", failure);
        }
        if (decision == null) {
            return failed(spoke, topic, "answered null", null);
        }
        return decision;
    }

    private AuthorizationDecision failed(SpokeEventTarget spoke, String topic, String what,
            @Nullable Throwable failure) {
        if (failure != null) {
            this.failureLog.warn("The subscription authorizer {} for '{}' of {}; denied", what,
                    RateLimitedLog.excerpt(topic), spoke, failure);
        }
        else {
            this.failureLog.warn("The subscription authorizer {} for '{}' of {}; denied", what,
                    RateLimitedLog.excerpt(topic), spoke);
        }
        return FAILED;
    }

    private static CompletionStage<AuthorizationDecision> completedWith(AuthorizationDecision decision) {
        return CompletableFuture.completedFuture(decision);
    }
}
