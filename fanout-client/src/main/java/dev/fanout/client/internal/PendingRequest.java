package dev.fanout.client.internal;

import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import dev.fanout.client.StreamPosition;

/**
 * One subscribe or unsubscribe written on the current connection, waiting for its {@code __ack} or {@code __error}.
 * Not thread-safe: the client's guard protects it.
 */
final class PendingRequest {

    final String id;

    final String topic;

    /** Whether the reply goes to the subscription listeners rather than the subscribe future. */
    final boolean resubscription;

    /** The position the subscribe asked to recover from, if any. */
    final @Nullable StreamPosition since;

    /** For an unsubscribe: completed by its reply. {@code null} for a subscribe. */
    final @Nullable CompletableFuture<Void> unsubscribed;

    Scheduler.Cancellable timeout = Scheduler.Cancellable.NONE;

    private PendingRequest(String id, String topic, boolean resubscription, @Nullable StreamPosition since,
            @Nullable CompletableFuture<Void> unsubscribed) {
        this.id = id;
        this.topic = topic;
        this.resubscription = resubscription;
        this.since = since;
        this.unsubscribed = unsubscribed;
    }

    static PendingRequest subscribe(String id, String topic, boolean resubscription, @Nullable StreamPosition since) {
        return new PendingRequest(id, topic, resubscription, since, null);
    }

    static PendingRequest unsubscribe(String id, String topic) {
        return new PendingRequest(id, topic, false, null, new CompletableFuture<>());
    }
}
