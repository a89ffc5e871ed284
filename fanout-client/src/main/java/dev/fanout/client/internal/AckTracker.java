package dev.fanout.client.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.fanout.client.AckTimeoutException;
import dev.fanout.client.ClientClosedException;
import dev.fanout.client.HubErrorException;
import dev.fanout.client.SubscriptionAck;

/**
 * The client's subscribe and unsubscribe requests that wait for the hub's reply on the current connection, by id, and
 * what each reply means: an {@code __ack} completes the request's future (or, for a resubscription after a reconnect,
 * is reported to the subscription listeners); an {@code __error} fails it and drops the topic; no reply within the
 * timeout fails the future but keeps the topic; a reply to an id it does not wait for changes nothing.
 *
 * <p>Not thread-safe: the client's guard protects it, and its timeout handler takes that guard before calling
 * {@link #timedOut}. It never completes a future or calls a listener itself: each method returns what the client's
 * delivery thread is to run, so that callbacks keep the order of the replies that caused them.
 */
final class AckTracker {

    /**
     * The prefix of the ids of the client's own requests, so that a late reply to a request it stopped waiting for
     * (timed out, or unsubscribed before the answer) is told apart from a reply to an event the app sent with an id.
     */
    static final String REQUEST_ID_PREFIX = "fc:";

    private static final Logger logger = LoggerFactory.getLogger(AckTracker.class);

    private static final Runnable NOTHING = () -> {
    };

    private final SubscriptionRegistry subscriptions;

    private final ClientListeners listeners;

    private final Scheduler scheduler;

    private final Duration timeout;

    private final Consumer<String> timeoutHandler;

    private final Map<String, PendingRequest> pending = new HashMap<>();

    private long lastRequestId;

    /**
     * @param timeoutHandler called on the scheduler's thread with the id of a request whose reply is overdue; it takes
     *     the client's guard and calls {@link #timedOut}
     */
    AckTracker(SubscriptionRegistry subscriptions, ClientListeners listeners, Scheduler scheduler, Duration timeout,
            Consumer<String> timeoutHandler) {
        this.subscriptions = subscriptions;
        this.listeners = listeners;
        this.scheduler = scheduler;
        this.timeout = timeout;
        this.timeoutHandler = timeoutHandler;
    }

    static boolean isRequestId(@Nullable String id) {
        return id != null && id.startsWith(REQUEST_ID_PREFIX);
    }

    /**
     * Waits for the reply to a subscribe of the topic about to be written: with {@code since} its position, if it has
     * one, and as a resubscription if its subscribe future is already complete.
     */
    PendingRequest trackSubscribe(SubscriptionRegistry.Topic topic) {
        PendingRequest request = PendingRequest.subscribe(nextId(), topic.name, topic.subscribed.isDone(),
                topic.position);
        topic.pendingId = request.id;
        return track(request);
    }

    /** Waits for the reply to an unsubscribe about to be written; its future is the request's. */
    PendingRequest trackUnsubscribe(String topic) {
        return track(PendingRequest.unsubscribe(nextId(), topic));
    }

    /**
     * The app unsubscribed from a topic: it is dropped from the registry, the reply to its pending subscribe no longer
     * matters, and a subscribe future not yet complete is cancelled.
     */
    Runnable unsubscribed(String name) {
        SubscriptionRegistry.Topic topic = this.subscriptions.remove(name);
        if (topic == null) {
            return NOTHING;
        }
        if (topic.pendingId != null) {
            PendingRequest request = this.pending.remove(topic.pendingId);
            if (request != null) {
                request.timeout.cancel();
            }
        }
        CompletableFuture<SubscriptionAck> subscribed = topic.subscribed;
        if (subscribed.isDone()) {
            return NOTHING;
        }
        return () -> subscribed.completeExceptionally(
                new CancellationException("Unsubscribed from '" + name + "' before the hub acknowledged"));
    }

    /** An {@code __ack} arrived. */
    Runnable acknowledged(InboundFrame.Ack ack) {
        PendingRequest request = take(ack.id());
        if (request == null) {
            logger.debug("Ignored an __ack for no pending request: id {}", FrameCodec.excerpt(ack.id()));
            return NOTHING;
        }
        if (request.unsubscribed != null) {
            CompletableFuture<Void> unsubscribed = request.unsubscribed;
            return () -> unsubscribed.complete(null);
        }
        SubscriptionAck subscriptionAck = this.subscriptions.acknowledge(request, ack.epoch(), ack.offset(),
                ack.recovered());
        SubscriptionRegistry.Topic topic = this.subscriptions.topic(request.topic);
        if (subscriptionAck == null || topic == null) {
            return NOTHING;
        }
        if (subscriptionAck.resubscription()) {
            return () -> this.listeners.fireRestored(subscriptionAck);
        }
        CompletableFuture<SubscriptionAck> subscribed = topic.subscribed;
        return () -> subscribed.complete(subscriptionAck);
    }

    /**
     * An {@code __error} arrived with an id of the client's own requests ({@link #isRequestId}).
     */
    Runnable refused(InboundFrame.ErrorReply error) {
        PendingRequest request = take(Objects.requireNonNull(error.id()));
        if (request == null) {
            logger.debug("Ignored an __error for no pending request: id {}", FrameCodec.excerpt(error.id()));
            return NOTHING;
        }
        HubErrorException refusal = new HubErrorException(request.topic, error.code(), error.message());
        if (request.unsubscribed != null) {
            CompletableFuture<Void> unsubscribed = request.unsubscribed;
            return () -> unsubscribed.completeExceptionally(refusal);
        }
        SubscriptionRegistry.Topic topic = this.subscriptions.remove(request.topic);
        if (topic == null) {
            return NOTHING;
        }
        logger.debug("Hub refused the subscription to {}: {}", request.topic, error.code());
        if (request.resubscription) {
            return () -> this.listeners.fireRefused(request.topic, refusal);
        }
        CompletableFuture<SubscriptionAck> subscribed = topic.subscribed;
        return () -> subscribed.completeExceptionally(refusal);
    }

    /**
     * The reply to a request is overdue: its future fails with {@link AckTimeoutException}; a subscribed topic stays
     * subscribed (the request was written), and is restored after reconnects.
     */
    Runnable timedOut(String id) {
        PendingRequest request = take(id);
        if (request == null) {
            return NOTHING;
        }
        AckTimeoutException timeout = new AckTimeoutException(request.topic, this.timeout);
        if (request.unsubscribed != null) {
            CompletableFuture<Void> unsubscribed = request.unsubscribed;
            return () -> unsubscribed.completeExceptionally(timeout);
        }
        SubscriptionRegistry.Topic topic = this.subscriptions.topic(request.topic);
        if (topic == null || request.resubscription) {
            logger.debug("No acknowledgement of the resubscription to {}", request.topic);
            return NOTHING;
        }
        CompletableFuture<SubscriptionAck> subscribed = topic.subscribed;
        return () -> subscribed.completeExceptionally(timeout);
    }

    /**
     * The connection is gone, and with it every subscription on the hub: pending unsubscribes are done; pending
     * subscribes wait for the next connection, which writes them again.
     */
    Runnable connectionLost() {
        List<CompletableFuture<Void>> unsubscribed = new ArrayList<>();
        for (PendingRequest request : takeAll()) {
            if (request.unsubscribed != null) {
                unsubscribed.add(request.unsubscribed);
            }
        }
        return () -> unsubscribed.forEach((future) -> future.complete(null));
    }

    /**
     * The client closed: every pending request and every subscribe future fails with {@link ClientClosedException},
     * and the registry is emptied.
     */
    Runnable closed() {
        List<Runnable> failures = new ArrayList<>();
        for (PendingRequest request : takeAll()) {
            CompletableFuture<Void> unsubscribed = request.unsubscribed;
            if (unsubscribed != null) {
                failures.add(() -> unsubscribed.completeExceptionally(new ClientClosedException(request.topic)));
            }
        }
        for (SubscriptionRegistry.Topic topic : this.subscriptions.topics()) {
            CompletableFuture<SubscriptionAck> subscribed = topic.subscribed;
            failures.add(() -> subscribed.completeExceptionally(new ClientClosedException(topic.name)));
        }
        this.subscriptions.clear();
        return () -> failures.forEach(Runnable::run);
    }

    private PendingRequest track(PendingRequest request) {
        this.pending.put(request.id, request);
        request.timeout = this.scheduler.schedule(this.timeout, () -> this.timeoutHandler.accept(request.id));
        return request;
    }

    private @Nullable PendingRequest take(String id) {
        PendingRequest request = this.pending.remove(id);
        if (request != null) {
            request.timeout.cancel();
            SubscriptionRegistry.Topic topic = this.subscriptions.topic(request.topic);
            if (topic != null && request.id.equals(topic.pendingId)) {
                topic.pendingId = null;
            }
        }
        return request;
    }

    private List<PendingRequest> takeAll() {
        List<PendingRequest> requests = new ArrayList<>(this.pending.values());
        this.pending.clear();
        requests.forEach((request) -> request.timeout.cancel());
        this.subscriptions.topics().forEach((topic) -> topic.pendingId = null);
        return requests;
    }

    private String nextId() {
        this.lastRequestId++;
        return REQUEST_ID_PREFIX + this.lastRequestId;
    }
}
