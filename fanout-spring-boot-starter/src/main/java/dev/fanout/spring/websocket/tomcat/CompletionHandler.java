package dev.fanout.spring.websocket.tomcat;

import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;

import dev.fanout.spring.websocket.AsyncEndpoint.Completion;

/**
 * Tells one {@link Completion} the outcome of each Tomcat send it is passed to: {@code null} for a send that
 * succeeded, else the send's exception. One per completion, reused for every send of the loop that owns it, so that
 * a send allocates no handler.
 *
 * <p>Thread-safe (immutable); Tomcat calls it on the sending thread or a container thread.
 */
final class CompletionHandler implements SendHandler {

    private final Completion completion;

    CompletionHandler(Completion completion) {
        this.completion = completion;
    }

    /**
     * Whether this handler tells the given completion.
     *
     * @param candidate a completion
     * @return whether it is this handler's (the same instance)
     */
    boolean tells(Completion candidate) {
        return this.completion == candidate;
    }

    @Override
    public void onResult(SendResult result) {
        this.completion.completed(result.isOK() ? null : result.getException());
    }
}
