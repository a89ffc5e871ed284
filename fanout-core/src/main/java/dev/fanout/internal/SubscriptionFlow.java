package dev.fanout.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.fanout.AuthorizationDecision;
import dev.fanout.ErrorCodes;
import dev.fanout.WebSocketServerEventTarget;

/**
 * The subscribes and unsubscribes of one connection, from the control event to its one reply: a subscribe is
 * authorized, then added to the topic, then confirmed (by the cluster broker, if any), and only then acknowledged.
 *
 * <p>Each topic of the connection is in one of three states: <i>idle</i> (no entry, not subscribed), <i>pending</i>
 * (an entry in {@code pendingByTopic}, {@link Phase#AUTHORIZING} or {@link Phase#CONFIRMING}), or <i>subscribed</i>
 * (no entry, in the connection's subscriptions). Further subscribes of a pending topic wait for the same outcome; an
 * unsubscribe of a pending topic wins at once: the waiting subscribes are answered {@code cancelled} and a late
 * decision or confirmation finds its entry gone and does nothing. A {@link Pending} entry's identity is its
 * generation: callbacks act only if their entry is still the one in the map.
 *
 * <p><b>Ordering.</b> All state lives under {@code lock}, never held while calling the authorizer, the broker or the
 * socket. Replies are queued under the lock in the order of the state changes that cause them, and sent by one
 * thread at a time from that queue, so the replies about one topic leave in the order their control events arrived.
 * Lock order: {@code lock}, then the connection's monitor.
 */
final class SubscriptionFlow {

    private static final Logger logger = LoggerFactory.getLogger(WebSocketServerEventTarget.class);

    private final Connection connection;

    private final Context context;

    private final Object lock = new Object();

    private final Map<String, Pending> pendingByTopic = new HashMap<>();

    private final ArrayDeque<String> outbox = new ArrayDeque<>();

    private int authorizingCount;

    private boolean draining;

    SubscriptionFlow(Connection connection, Context context) {
        this.connection = connection;
        this.context = context;
    }

    void subscribe(String topic, @Nullable String id) {
        Pending started;
        synchronized (this.lock) {
            started = startSubscribe(topic, id);
        }
        drain();
        if (started != null) {
            Pending pending = started;
            this.context.authorizer()
                .authorize(this.connection, topic)
                .thenAccept((decision) -> decided(topic, pending, decision));
        }
    }

    void unsubscribe(String topic, @Nullable String id) {
        synchronized (this.lock) {
            Pending pending = this.pendingByTopic.remove(topic);
            if (pending != null) {
                if (pending.phase == Phase.AUTHORIZING) {
                    this.authorizingCount--;
                }
                for (String waiting : pending.ids) {
                    queue(this.context.replies().error(waiting, topic, ErrorCodes.CANCELLED,
                            "an __unsubscribe of the topic arrived before the subscription took effect"));
                }
            }
            this.connection.unsubscribe(topic, this.context.topics());
            if (id != null) {
                queue(this.context.replies().ack(id, topic));
            }
        }
        drain();
    }

    /**
     * Queues a reply that is not about a subscription's progress (a refused or rate-limited message), behind the
     * replies already queued.
     */
    void reply(String frame) {
        synchronized (this.lock) {
            queue(frame);
        }
        drain();
    }

    private @Nullable Pending startSubscribe(String topic, @Nullable String id) {
        Pending pending = this.pendingByTopic.get(topic);
        if (pending != null) {
            pending.await(id);
            return null;
        }
        if (this.connection.isSubscribed(topic)) {
            if (id != null) {
                queue(this.context.replies().ack(id, topic));
            }
            return null;
        }
        int max = this.context.maxSubscriptions();
        if (this.connection.subscriptionCount() + this.authorizingCount >= max) {
            this.context.denied().run();
            this.context.problemLog().warn("Ignored __subscribe to '{}' from {}: it already has the maximum of {} "
                    + "subscriptions", RateLimitedLog.excerpt(topic), this.connection, max);
            if (id != null) {
                queue(this.context.replies().error(id, topic, ErrorCodes.SUBSCRIPTION_LIMIT,
                        "the connection already has the maximum of " + max + " subscriptions"));
            }
            return null;
        }
        Pending started = new Pending(id);
        this.pendingByTopic.put(topic, started);
        this.authorizingCount++;
        return started;
    }

    private void decided(String topic, Pending pending, AuthorizationDecision decision) {
        boolean confirm = false;
        synchronized (this.lock) {
            if (this.pendingByTopic.get(topic) != pending || pending.phase != Phase.AUTHORIZING) {
                return;
            }
            this.authorizingCount--;
            if (!decision.allowed()) {
                this.pendingByTopic.remove(topic);
                this.context.denied().run();
                logger.debug("Denied __subscribe to '{}' from {}: {}", RateLimitedLog.excerpt(topic), this.connection,
                        decision.reason());
                String reason = (decision.reason() != null) ? decision.reason()
                        : "not allowed to subscribe to this topic";
                pending.answer((waiting) -> this.context.replies().error(waiting, topic, ErrorCodes.FORBIDDEN,
                        reason));
            }
            else {
                Connection.SubscribeOutcome outcome = this.connection.subscribe(topic,
                        this.context.maxSubscriptions(), this.context.topics());
                if (outcome == Connection.SubscribeOutcome.CONNECTION_REMOVED) {
                    this.pendingByTopic.remove(topic);
                    return;
                }
                pending.phase = Phase.CONFIRMING;
                confirm = true;
            }
        }
        drain();
        if (confirm) {
            confirmation(topic).whenComplete((done, failure) -> confirmed(topic, pending, failure));
        }
    }

    private CompletionStage<Void> confirmation(String topic) {
        try {
            return this.context.confirmation().apply(topic);
        }
        catch (RuntimeException ex) {
            return CompletableFuture.failedFuture(ex);
        }
    }

    private void confirmed(String topic, Pending pending, @Nullable Throwable failure) {
        synchronized (this.lock) {
            if (this.pendingByTopic.get(topic) != pending) {
                return;
            }
            this.pendingByTopic.remove(topic);
            if (failure == null) {
                pending.answer((waiting) -> this.context.replies().ack(waiting, topic));
            }
            else {
                this.context.problemLog().warn("The subscription of {} to '{}' was not confirmed; undone", this.connection,
                        RateLimitedLog.excerpt(topic), failure);
                this.connection.unsubscribe(topic, this.context.topics());
                pending.answer((waiting) -> this.context.replies().error(waiting, topic, ErrorCodes.INTERNAL,
                        "the subscription could not be confirmed"));
            }
        }
        drain();
    }

    private void queue(String frame) {
        this.outbox.add(frame);
    }

    /** Sends the queued replies; the one thread that finds the queue not being drained sends them all, in order. */
    private void drain() {
        synchronized (this.lock) {
            if (this.draining) {
                return;
            }
            this.draining = true;
        }
        while (true) {
            String frame;
            synchronized (this.lock) {
                frame = this.outbox.poll();
                if (frame == null) {
                    this.draining = false;
                    return;
                }
            }
            this.connection.send(frame);
        }
    }

    private enum Phase {
        /** Waiting for the authorizer; not yet in the topic. */
        AUTHORIZING,
        /** In the topic; waiting for the broker's confirmation before acknowledging. */
        CONFIRMING
    }

    /**
     * A subscribe in progress, with the ids of every subscribe of its topic that waits for it, in arrival order.
     * Guarded by the flow's lock.
     */
    private final class Pending {

        private final List<String> ids = new ArrayList<>(1);

        private Phase phase = Phase.AUTHORIZING;

        Pending(@Nullable String id) {
            await(id);
        }

        void await(@Nullable String id) {
            if (id != null) {
                this.ids.add(id);
            }
        }

        void answer(Function<String, String> reply) {
            for (String waiting : this.ids) {
                queue(reply.apply(waiting));
            }
        }
    }

    /**
     * What every flow of a hub shares.
     *
     * @param authorizer asks the application's authorizer, with timeout
     * @param topics the hub's topic registry
     * @param maxSubscriptions the most subscriptions (held or pending) per connection
     * @param confirmation the hub's broker confirmation of a topic's subscription
     * @param replies writes the reply frames
     * @param problemLog the rate-limited log of peer-triggered problems
     * @param denied counts one refused {@code __subscribe} (limit reached or authorizer denied)
     */
    record Context(GuardedAuthorizer authorizer, TopicRegistry topics, int maxSubscriptions,
            Function<String, CompletionStage<Void>> confirmation, ControlReplies replies, RateLimitedLog problemLog,
            Runnable denied) {
    }
}
