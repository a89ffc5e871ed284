package dev.fanout.redis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.fanout.Broker;

/**
 * The subscriptions of one pub/sub connection, from its (re)connection to its loss: a new connection gets a new
 * session, filled from the hub's registry, so nothing carries over from a lost one.
 *
 * <p>{@code topics} maps each topic this node asked for to the confirmation of its SUBSCRIBE. Requests from any
 * thread are queued and sent by the control thread in batched SUBSCRIBE commands; Redis answers each channel with a
 * {@code subscribe} reply, which completes the confirmation (counting replies, since a topic can be subscribed,
 * unsubscribed and subscribed again before the first reply arrives). The unsubscribe decision re-checks the hub's
 * registry inside {@code topics}' compute for that topic, and {@link #subscribe} asks for a topic under the same
 * bin lock after the hub registered its subscriber: whichever runs second sees the other, so a needed topic is never
 * left unsubscribed.
 *
 * <p>Thread-safe: {@link #subscribe}, {@link #confirmedTopics} and {@link #end} from any thread; the other methods
 * on the control thread only.
 */
final class SubscriptionSession {

    /**
     * The pub/sub commands a session sends, without waiting for their replies: the live pub/sub connection, or a
     * recording fake in unit tests. Called on the control thread only.
     */
    interface Commands {

        /** Sends one SUBSCRIBE for the channels. */
        void subscribe(String... channels);

        /** Sends UNSUBSCRIBE for the channel. */
        void unsubscribe(String channel);
    }

    private static final Logger logger = LoggerFactory.getLogger(RedisBroker.class);

    private final Commands commands;

    private final ChannelNames channels;

    private final int batchSize;

    private final Executor control;

    private final ConcurrentMap<String, CompletableFuture<Void>> topics = new ConcurrentHashMap<>();

    /** Topics to send SUBSCRIBE for, in request order: filled from any thread, drained by the control thread. */
    private final Queue<String> toSubscribe;

    private final AtomicBoolean flushScheduled = new AtomicBoolean();

    /** Control thread only: SUBSCRIBE replies still to come, per topic. */
    private final Map<String, Integer> awaitedReplies = new HashMap<>();

    /** Written before the confirmations are completed, read after a confirmation is created: see {@link #end}. */
    private volatile boolean ended;

    SubscriptionSession(Commands commands, ChannelNames channels, int batchSize, Executor control) {
        this(commands, channels, batchSize, control, new ConcurrentLinkedQueue<>());
    }

    /**
     * A session whose SUBSCRIBE queue is the given one: a thread-safe queue, which tests wrap to interleave a flush
     * with a {@link #subscribe} deterministically.
     */
    SubscriptionSession(Commands commands, ChannelNames channels, int batchSize, Executor control,
            Queue<String> toSubscribe) {
        this.commands = commands;
        this.channels = channels;
        this.batchSize = batchSize;
        this.control = control;
        this.toSubscribe = toSubscribe;
    }

    /**
     * Asks for the topic, once per session: the confirmation completes when Redis confirmed the subscription, or
     * when the session ends (the subscription is then effective locally and restored by the next session).
     */
    CompletionStage<Void> subscribe(String topic) {
        CompletableFuture<Void> requested = new CompletableFuture<>();
        CompletableFuture<Void> confirmation = this.topics.putIfAbsent(topic, requested);
        if (confirmation == null) {
            confirmation = requested;
            // Queued only once the topic is in the map: a flush that polls it must find it there, or it drops it.
            this.toSubscribe.add(topic);
        }
        if (this.ended) {
            confirmation.complete(null);
        }
        else if (!confirmation.isDone() && this.flushScheduled.compareAndSet(false, true)) {
            try {
                this.control.execute(this::flush);
            }
            catch (RejectedExecutionException ex) {
                confirmation.complete(null);
            }
        }
        return confirmation;
    }

    /** Control thread: Redis confirmed one channel of a SUBSCRIBE. */
    void confirmed(String topic) {
        Integer stillAwaited = this.awaitedReplies.computeIfPresent(topic, (key, count) -> (count > 1) ? count - 1 : null);
        if (stillAwaited == null) {
            CompletableFuture<Void> confirmation = this.topics.get(topic);
            if (confirmation != null) {
                confirmation.complete(null);
            }
        }
    }

    /**
     * Control thread: unsubscribes the topic unless the hub has a local subscriber for it now.
     *
     * @return {@code true} if it sent UNSUBSCRIBE
     */
    boolean unsubscribeIfUnneeded(String topic, Broker.Node node) {
        List<CompletableFuture<Void>> removed = new ArrayList<>(1);
        this.topics.computeIfPresent(topic, (key, confirmation) -> {
            if (node.hasLocalSubscribers(key)) {
                return confirmation;
            }
            removed.add(confirmation);
            return null;
        });
        if (removed.isEmpty()) {
            return false;
        }
        removed.get(0).complete(null);
        this.commands.unsubscribe(this.channels.channelOf(topic));
        return true;
    }

    /** Topics whose subscription Redis confirmed on this connection. */
    int confirmedTopics() {
        return (int) this.topics.values().stream().filter(CompletableFuture::isDone).count();
    }

    /**
     * Ends the session: every confirmation still open completes (the subscriptions stay effective locally), and later
     * requests complete at once.
     */
    void end() {
        this.ended = true;
        this.topics.values().forEach((confirmation) -> confirmation.complete(null));
    }

    private void flush() {
        this.flushScheduled.set(false);
        List<String> batch = new ArrayList<>();
        String topic;
        while ((topic = this.toSubscribe.poll()) != null) {
            if (!this.topics.containsKey(topic)) {
                continue;
            }
            batch.add(this.channels.channelOf(topic));
            this.awaitedReplies.merge(topic, 1, Integer::sum);
            if (batch.size() == this.batchSize) {
                send(batch);
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) {
            send(batch);
        }
    }

    private void send(List<String> channelBatch) {
        logger.debug("SUBSCRIBE {} channels", channelBatch.size());
        this.commands.subscribe(channelBatch.toArray(String[]::new));
    }
}
