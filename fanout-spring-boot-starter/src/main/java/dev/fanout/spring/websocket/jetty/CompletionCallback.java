package dev.fanout.spring.websocket.jetty;

import org.eclipse.jetty.util.Callback;

import dev.fanout.spring.websocket.AsyncEndpoint.Completion;

/**
 * Tells one {@link Completion} the outcome of each Jetty frame it is passed with: {@code null} when the frame
 * succeeded, else its failure. One per completion, reused for every send of the loop that owns it (a loop has at
 * most one send in flight), so that a send allocates no callback.
 *
 * <p>Thread-safe (immutable); Jetty calls it on the sending thread or one of its own. Its invocation type is Jetty's
 * default, blocking, as for {@link Callback#from(Runnable, java.util.function.Consumer)}.
 */
final class CompletionCallback implements Callback {

    private final Completion completion;

    CompletionCallback(Completion completion) {
        this.completion = completion;
    }

    /**
     * Whether this callback tells the given completion.
     *
     * @param candidate a completion
     * @return whether it is this callback's (the same instance)
     */
    boolean tells(Completion candidate) {
        return this.completion == candidate;
    }

    @Override
    public void succeeded() {
        this.completion.completed(null);
    }

    @Override
    public void failed(Throwable failure) {
        this.completion.completed(failure);
    }
}
