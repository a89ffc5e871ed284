package dev.fanout.redis;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.fanout.Broker;

/**
 * Which topics this node is subscribed to in Redis, across connections: the hub's subscribe and unsubscribe calls go
 * to the live {@link SubscriptionSession} (batched SUBSCRIBE), a last unsubscribe is re-checked after the
 * {@linkplain RedisBrokerOptions#unsubscribeDelay() delay} before the session sends UNSUBSCRIBE, and a new connection
 * gets a new session filled from the hub's registry, not from the lost one.
 *
 * <p>Thread-safe: {@link #subscribe}, {@link #unsubscribe}, {@link #confirmedTopics}, {@link #delayedChecksRun} and
 * {@link #close} from any thread; {@link #open}, {@link #resubscribe} and {@link #end} on the control thread only.
 */
final class Subscriptions {

    private static final Logger logger = LoggerFactory.getLogger(RedisBroker.class);

    private static final CompletionStage<Void> CONFIRMED = CompletableFuture.completedStage(null);

    private final ChannelNames channels;

    private final int batchSize;

    private final Duration unsubscribeDelay;

    private final Scheduler control;

    private final Set<String> pendingChecks = ConcurrentHashMap.newKeySet();

    private final LongAdder checksRun = new LongAdder();

    private volatile Broker.@Nullable Node node;

    /**
     * The live session, null while down. Written on the control thread before the hub's registry is read for the
     * resubscription, so a subscribe that misses the new session is one whose topic the resubscription sees.
     */
    private volatile @Nullable SubscriptionSession session;

    private volatile boolean closed;

    Subscriptions(ChannelNames channels, int batchSize, Duration unsubscribeDelay, Scheduler control) {
        this.channels = channels;
        this.batchSize = batchSize;
        this.unsubscribeDelay = unsubscribeDelay;
        this.control = control;
    }

    /** The hub whose registry decides; set once, before the first session opens. */
    void attach(Broker.Node hub) {
        this.node = hub;
    }

    /**
     * Asks for the topic on the live session: see {@link Broker#subscribe}.
     *
     * @return a stage completing when Redis confirmed the subscription; complete at once while down
     */
    CompletionStage<Void> subscribe(String topic) {
        SubscriptionSession live = this.session;
        if (live == null) {
            return CONFIRMED;
        }
        CompletionStage<Void> confirmation = live.subscribe(topic);
        Broker.Node hub = this.node;
        // The hub may have lost the topic's last subscriber before this call: the check will let it go again.
        if (hub != null && !hub.hasLocalSubscribers(topic)) {
            unsubscribe(topic);
        }
        return confirmation;
    }

    /**
     * The topic's last local subscriber left: schedules one check after the delay (none while one is pending), which
     * unsubscribes the topic unless the hub has a local subscriber for it then.
     */
    void unsubscribe(String topic) {
        if (this.closed || !this.pendingChecks.add(topic)) {
            return;
        }
        try {
            this.control.schedule(() -> check(topic), this.unsubscribeDelay);
        }
        catch (RejectedExecutionException ex) {
            this.pendingChecks.remove(topic);
        }
    }

    /**
     * Control thread: a new connection is open; its session becomes the live one.
     *
     * @param commands the connection's pub/sub commands
     * @return the new session, empty until {@link #resubscribe}
     */
    SubscriptionSession open(SubscriptionSession.Commands commands) {
        SubscriptionSession fresh = new SubscriptionSession(commands, this.channels, this.batchSize, this.control);
        this.session = fresh;
        return fresh;
    }

    /**
     * Control thread, after {@link #open}: asks the live session for every topic the hub's registry holds now.
     *
     * @return how many topics it asked for
     */
    int resubscribe() {
        SubscriptionSession live = this.session;
        Broker.Node hub = this.node;
        if (live == null || hub == null) {
            return 0;
        }
        Set<String> needed = hub.localTopics();
        needed.forEach(live::subscribe);
        return needed.size();
    }

    /**
     * Control thread: the live session's connection is lost or closing; its open confirmations complete.
     *
     * @return the ended session, or null if none was live
     */
    @Nullable SubscriptionSession end() {
        SubscriptionSession live = this.session;
        this.session = null;
        if (live != null) {
            live.end();
        }
        return live;
    }

    /** No check is scheduled from now on: the broker closes. */
    void close() {
        this.closed = true;
    }

    /**
     * Topics the live session's connection is subscribed to in Redis now (confirmed).
     *
     * @return the count, 0 while down
     */
    int confirmedTopics() {
        SubscriptionSession live = this.session;
        return (live != null) ? live.confirmedTopics() : 0;
    }

    /**
     * How many delayed unsubscribe checks ran, whether or not they unsubscribed.
     *
     * @return the count since creation
     */
    long delayedChecksRun() {
        return this.checksRun.sum();
    }

    private void check(String topic) {
        // Removed before the check: an unsubscribe arriving meanwhile schedules a check of its own.
        this.pendingChecks.remove(topic);
        SubscriptionSession live = this.session;
        Broker.Node hub = this.node;
        if (live != null && hub != null && live.unsubscribeIfUnneeded(topic, hub)) {
            logger.debug("UNSUBSCRIBE {}", topic);
        }
        this.checksRun.increment();
    }
}
