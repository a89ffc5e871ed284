package dev.fanout.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.fanout.BrokerState;
import dev.fanout.HistoryEntry;
import dev.fanout.HistoryRule;
import dev.fanout.HistorySlice;
import dev.fanout.HistoryStore;
import dev.fanout.StreamPosition;

/**
 * The history of a cluster, kept in Redis Streams next to its {@link RedisBroker}, so that all nodes agree on every
 * topic's offsets and epoch. Create it with {@link #factory()} and hand that to
 * {@link dev.fanout.HistoryOptions#withStore}; the hub's broker must be a {@link RedisBroker}.
 *
 * <ul>
 * <li><b>Keys.</b> Topic {@code t} keeps its entries in the stream {@code <prefix>{t}:stream}, whose entry ids are the
 * offsets, and its epoch and latest offset in the hash {@code <prefix>{t}:meta} (see {@link RedisHistoryOptions}); the
 * topic is escaped so that no topic name can reach another topic's keys.</li>
 * <li><b>Append.</b> One Lua script, atomically: starts a new epoch if the topic has no meta hash (a random string;
 * the stream of an earlier epoch is deleted), increments the offset, stamps the frame with it exactly as
 * {@link HistoryStore#stamp} does, adds it to the stream (trimmed to the rule's size, expiring after the rule's time
 * to live, both refreshed by every append), refreshes the meta hash's time to live, and PUBLISHes the stamped frame
 * on the topic's channel as a version-3 {@linkplain Envelope envelope}. {@link #append} sends it with EVALSHA (EVAL
 * if Redis does not know the script) without waiting: it never blocks the dispatching thread. Appends waiting for
 * Redis's reply are bounded by {@link RedisBrokerOptions#outboundBufferSize()}; an append that finds the bound reached
 * or Redis unreachable is dropped (delivered to no spoke on any node, so that all of them see the same offsets),
 * counted and logged, rate-limited.</li>
 * <li><b>Delivery.</b> Every node, the appending one included, delivers a topic's stamped frames as its broker
 * receives them from Redis, on the one subscribing connection: so every node delivers them in offset order, each
 * once. What pub/sub loses (a dropped subscribing connection, a lost message) {@link GapRepair} reads from the
 * stream: when a later offset arrives, and when the broker is subscribed again after a reconnect.</li>
 * <li><b>Read.</b> One Lua script reads the position and the entries after an offset, atomically; a topic without
 * meta hash starts a new epoch at offset 0 there (a hash that expires after the rule's time to live until the topic's
 * first event, so that reads of topics nobody dispatches to cannot pile up keys). A read fails (and the recovery answers {@code recovered:false})
 * while the broker is {@link BrokerState#DOWN DOWN}, while Redis is unreachable, and after
 * {@link RedisHistoryOptions#readTimeout()}.</li>
 * <li><b>Epochs.</b> A topic's epoch changes whenever Redis lost its meta hash: Redis restarted without persistence,
 * was flushed, or the hash expired ({@link RedisHistoryOptions#metaTtl()} after the topic's last append or
 * read).</li>
 * </ul>
 *
 * <p>Thread-safe. The store has its own connection to Redis ({@link HistoryConnection}), opened through the broker's
 * client when the store is created and again, after it is lost, when the broker reconnects or the next append or read
 * needs it; appends and reads made while it is being opened wait for it (appends in their order, within the same
 * bound), and the broker closes it when it closes. {@link ScriptRunner} loads and runs the scripts.
 */
public final class RedisHistoryStore implements HistoryStore {

    private static final Logger logger = LoggerFactory.getLogger(RedisHistoryStore.class);

    private static final Duration WARN_INTERVAL = Duration.ofSeconds(10);

    private final RedisBroker broker;

    private final HistoryKeys keys;

    private final ScriptRunner scripts;

    private final HistoryConnection<StatefulRedisConnection<String, String>> connection;

    private final GapRepair gaps;

    private final String envelopeHead;

    private final long metaTtlMillis;

    private final Duration readTimeout;

    private final int maxInFlight;

    private final AtomicInteger inFlight = new AtomicInteger();

    private final LongAdder appended = new LongAdder();

    private final LongAdder dropped = new LongAdder();

    private final LongAdder failed = new LongAdder();

    private final RateLimitedWarning warning = new RateLimitedWarning(logger, WARN_INTERVAL, System::nanoTime);

    private final BiConsumer<Object, @Nullable Throwable> onAppendReply = this::appendReplied;

    private RedisHistoryStore(RedisBroker broker, RedisHistoryOptions options, Delivery delivery,
            Predicate<String> hasLocalSubscribers) {
        this.broker = broker;
        this.keys = new HistoryKeys(options.keyPrefix());
        this.scripts = new ScriptRunner(HistoryScripts.load());
        this.connection = new HistoryConnection<>(new Opener(broker, this.scripts),
                broker.options().minReconnectDelay(), System::nanoTime, this::droppedWaiting);
        this.gaps = new GapRepair(this::readRange, delivery, hasLocalSubscribers, options.gapRepairMaxHeldBack(),
                options.gapRepairBatchSize(), System::nanoTime);
        this.envelopeHead = Envelope.headerOf(Envelope.VERSION_STAMPED, broker.nodeId());
        this.metaTtlMillis = Math.max(1, options.metaTtl().toMillis());
        this.readTimeout = options.readTimeout();
        this.maxInFlight = broker.options().outboundBufferSize();
    }

    /**
     * A factory of stores with the default options.
     *
     * @return the factory; its stores need a {@link RedisBroker} as the hub's broker
     */
    public static Factory factory() {
        return factory(RedisHistoryOptions.defaults());
    }

    /**
     * A factory of stores with the given options. The factory attaches each store to the hub's broker, which routes
     * the topics' stamped frames to it.
     *
     * @param options the options
     * @return the factory; creating a store throws {@link IllegalArgumentException} if the hub's broker is no
     *     {@link RedisBroker}, and {@link IllegalStateException} if that broker already has a store or is closed
     */
    public static Factory factory(RedisHistoryOptions options) {
        return new Factory(options);
    }

    /**
     * Creates the Redis history store of a hub ({@link #factory(RedisHistoryOptions)}), with the options it holds.
     *
     * <p>Thread-safe: immutable.
     *
     * @param options the options of the stores it creates
     */
    public record Factory(RedisHistoryOptions options) implements HistoryStore.Factory {

        /**
         * A factory of stores with these options.
         *
         * @throws NullPointerException if the options are {@code null}
         */
        public Factory {
            Objects.requireNonNull(options, "options");
        }

        /**
         * Creates the store and attaches it to the hub's broker.
         *
         * @throws IllegalArgumentException if the hub's broker is no {@link RedisBroker}
         * @throws IllegalStateException if that broker already has a store or is closed
         */
        @Override
        public HistoryStore create(HistoryStore.Context context) {
            if (!(context.broker() instanceof RedisBroker redis)) {
                throw new IllegalArgumentException("The Redis history store needs a RedisBroker as the hub's broker, "
                        + "was " + context.broker());
            }
            RedisHistoryStore store = new RedisHistoryStore(redis, this.options, context.delivery(),
                    context.hasLocalSubscribers());
            redis.attachHistory(store);
            store.connection.start();
            return store;
        }
    }

    @Override
    public void append(String topic, HistoryRule rule, String frame, Delivery ignored) {
        if (frame.length() < 2 || frame.charAt(frame.length() - 1) != '}') {
            throw new IllegalArgumentException("not a serialized event: " + frame);
        }
        if (this.inFlight.incrementAndGet() > this.maxInFlight) {
            this.inFlight.decrementAndGet();
            drop(topic, this.maxInFlight + " appends await Redis's reply already");
            return;
        }
        String head = this.envelopeHead + Math.max(0, Envelope.epochMicros(this.broker.clock())) + '|';
        Append append = new Append(keysOf(topic), new String[] { frame, Integer.toString(rule.size()),
                Long.toString(ttlMillis(rule)), Long.toString(metaTtlMillis(rule)), newEpoch(),
                this.broker.channels().channelOf(topic), head });
        if (!this.connection.submit((open) -> send(open, append))) {
            this.inFlight.decrementAndGet();
            drop(topic, "Redis is not reachable");
        }
    }

    @Override
    public CompletionStage<HistorySlice> read(String topic, HistoryRule rule, long afterOffset, int limit) {
        if (this.broker.state() != BrokerState.UP) {
            return CompletableFuture.failedFuture(new IllegalStateException("the Redis broker is down, so live events "
                    + "of the topic may be missing"));
        }
        String[] args = { Long.toString(afterOffset), Integer.toString(limit), Long.toString(ttlMillis(rule)),
                Long.toString(metaTtlMillis(rule)), newEpoch() };
        CompletableFuture<StatefulRedisConnection<String, String>> open = this.connection.connection();
        if (open == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("Redis is not reachable"));
        }
        return open
            .thenCompose((target) -> this.scripts.<List<Object>>run(target, this.scripts.scripts().read(),
                    ScriptOutputType.MULTI, keysOf(topic), args))
            .orTimeout(this.readTimeout.toNanos(), TimeUnit.NANOSECONDS)
            .thenApply(RedisHistoryStore::sliceOf)
            .thenCompose((slice) -> deliveredUpTo(topic, slice));
    }

    /**
     * Completes with the slice once this node delivered its latest offset ({@link GapRepair#observed}), so that no
     * event of the slice reaches the hub live after the read; fails if that takes longer than the read timeout.
     */
    private CompletionStage<HistorySlice> deliveredUpTo(String topic, HistorySlice slice) {
        StreamPosition latest = slice.latest();
        return this.gaps.observed(topic, latest.epoch(), latest.offset())
            .toCompletableFuture()
            .orTimeout(this.readTimeout.toNanos(), TimeUnit.NANOSECONDS)
            .handle((done, failure) -> {
                if (failure != null) {
                    throw new CompletionException(new IllegalStateException("this node's live events of the topic "
                            + "did not reach offset " + latest.offset() + " within the read timeout of "
                            + this.readTimeout.toMillis() + " ms"));
                }
                return slice;
            });
    }

    /**
     * How many appends Redis confirmed.
     *
     * @return the count since the store was created
     */
    public long appended() {
        return this.appended.sum();
    }

    /**
     * How many appends were dropped before reaching Redis: it was unreachable, or too many appends awaited its reply.
     *
     * @return the count since the store was created
     */
    public long dropped() {
        return this.dropped.sum();
    }

    /**
     * How many appends Redis failed (or whose connection was lost before the reply).
     *
     * @return the count since the store was created
     */
    public long failed() {
        return this.failed.sum();
    }

    @Override
    public String toString() {
        return "RedisHistoryStore[" + this.broker + "]";
    }

    /**
     * How many gaps in the live events of a topic this node repaired from the stream (see {@link GapRepair}).
     *
     * @return the count since the store was created
     */
    long gapsRepaired() {
        return this.gaps.repaired();
    }

    /**
     * How many events missing from the live events of a topic this node delivered from the stream.
     *
     * @return the count since the store was created
     */
    long gapEventsRecovered() {
        return this.gaps.recovered();
    }

    /**
     * How many events missing from the live events of a topic could not be repaired: the stream no longer had them,
     * the read failed, or too many live events were held back meanwhile.
     *
     * @return the count since the store was created
     */
    long gapEventsLost() {
        return this.gaps.lost();
    }

    /**
     * Called by the broker on its subscribing connection's I/O thread, one frame at a time, in Redis's order: the
     * frame is delivered now, after the events pub/sub lost before it are read from the stream, or dropped as a
     * duplicate ({@link GapRepair}).
     */
    void delivered(String topic, long offset, String frame) {
        this.gaps.delivered(topic, offset, frame);
    }

    /** Topics whose delivered offsets this node tracks: the broker checks each once it is subscribed again. */
    List<String> trackedTopics() {
        return this.gaps.trackedTopics();
    }

    /** Control thread: Redis confirmed the topic's SUBSCRIBE after a reconnect; reads what was missed meanwhile. */
    void resubscribed(String topic) {
        this.gaps.resubscribed(topic);
    }

    /** Any thread: the topic lost its last local subscriber; its tracked offset is forgotten unless it has another. */
    void released(String topic) {
        this.gaps.release(topic);
    }

    /** Called by the broker when it (re)connected: opens the store's connection again if it was lost. */
    void brokerConnected() {
        this.connection.retryNow();
    }

    /** Called by the broker when it closes: drops the waiting appends and closes the store's connection. */
    CompletableFuture<Void> close() {
        return this.connection.close();
    }

    /** Appends that waited for the connection were dropped: the attempt to open it failed, or the broker closes. */
    private void droppedWaiting(int count) {
        this.inFlight.addAndGet(-count);
        this.dropped.add(count);
        this.warning.warn("Dropped {} dispatches to topics with history: Redis is not reachable ({} dropped so far)",
                count, this.dropped.sum());
    }

    /** The gap repair's read: the range script, on the store's connection, within the read timeout. */
    private CompletionStage<GapRepair.Range> readRange(String topic, long afterOffset, int limit) {
        CompletableFuture<StatefulRedisConnection<String, String>> open = this.connection.connection();
        if (open == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("Redis is not reachable"));
        }
        String[] args = { Long.toString(afterOffset), Integer.toString(limit) };
        return open
            .thenCompose((target) -> this.scripts.<List<Object>>run(target, this.scripts.scripts().range(),
                    ScriptOutputType.MULTI, keysOf(topic), args))
            .orTimeout(this.readTimeout.toNanos(), TimeUnit.NANOSECONDS)
            .thenApply(RedisHistoryStore::rangeOf);
    }

    private void send(StatefulRedisConnection<String, String> target, Append append) {
        try {
            this.scripts.run(target, this.scripts.scripts().append(), ScriptOutputType.INTEGER, append.keys(),
                    append.args())
                .whenComplete(this.onAppendReply);
        }
        catch (RuntimeException ex) {
            appendReplied(null, ex);
        }
    }

    private void appendReplied(@Nullable Object offset, @Nullable Throwable failure) {
        this.inFlight.decrementAndGet();
        if (failure == null) {
            this.appended.increment();
            return;
        }
        this.failed.increment();
        this.warning.warn("Redis failed an append to a topic's history ({} failed, {} dropped so far)",
                this.failed.sum(), this.dropped.sum(), failure);
    }

    private void drop(String topic, String why) {
        this.dropped.increment();
        this.warning.warn("Dropped a dispatch to the topic with history '{}': {} ({} dropped so far)", topic,
                why, this.dropped.sum());
    }

    private String[] keysOf(String topic) {
        return new String[] { this.keys.streamOf(topic), this.keys.metaOf(topic) };
    }

    private long metaTtlMillis(HistoryRule rule) {
        return Math.max(this.metaTtlMillis, ttlMillis(rule));
    }

    /** The keys and arguments of one run of the append script. */
    private record Append(String[] keys, String[] args) {
    }

    private static long ttlMillis(HistoryRule rule) {
        return Math.max(1, rule.ttl().toMillis());
    }

    private static String newEpoch() {
        return Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
    }

    /** Opens the store's connections through the broker's client, with the scripts loaded. */
    private record Opener(RedisBroker broker, ScriptRunner scripts)
            implements HistoryConnection.Opener<StatefulRedisConnection<String, String>> {

        @Override
        public CompletionStage<StatefulRedisConnection<String, String>> open() {
            return this.broker.client()
                .connectAsync(StringCodec.UTF8, this.broker.options().redisUri())
                .toCompletableFuture()
                .thenCompose(this.scripts::load);
        }

        @Override
        public boolean isOpen(StatefulRedisConnection<String, String> connection) {
            return connection.isOpen();
        }

        @Override
        public CompletionStage<Void> close(StatefulRedisConnection<String, String> connection) {
            return connection.closeAsync();
        }
    }

    /** The read script's reply: epoch, latest offset, then offset and frame of each entry, newest first. */
    private static HistorySlice sliceOf(List<Object> reply) {
        StreamPosition latest = new StreamPosition((String) reply.get(0), Long.parseLong(String.valueOf(reply.get(1))));
        List<HistoryEntry> entries = new ArrayList<>((reply.size() - 2) / 2);
        for (int i = reply.size() - 2; i >= 2; i -= 2) {
            entries.add(new HistoryEntry(Long.parseLong(String.valueOf(reply.get(i))), (String) reply.get(i + 1)));
        }
        return new HistorySlice(latest, entries);
    }

    /** The range script's reply: epoch (empty if none), latest offset, then offset and frame of each entry, oldest. */
    private static GapRepair.Range rangeOf(List<Object> reply) {
        String epoch = String.valueOf(reply.get(0));
        List<HistoryEntry> entries = new ArrayList<>((reply.size() - 2) / 2);
        for (int i = 2; i + 1 < reply.size(); i += 2) {
            entries.add(new HistoryEntry(Long.parseLong(String.valueOf(reply.get(i))), (String) reply.get(i + 1)));
        }
        return new GapRepair.Range(epoch.isEmpty() ? null : epoch, Long.parseLong(String.valueOf(reply.get(1))),
                entries);
    }
}
