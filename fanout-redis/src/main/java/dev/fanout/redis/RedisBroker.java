package dev.fanout.redis;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.ConnectionFuture;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.fanout.Broker;
import dev.fanout.BrokerState;
import dev.fanout.BrokerStatistics;

/**
 * A cluster {@link Broker} over Redis pub/sub, through Lettuce's asynchronous API: every node publishes its
 * dispatches to Redis and subscribes to the topics its local spokes need, so N hubs act as one.
 *
 * <ul>
 * <li><b>Channels.</b> Topic {@code t} is channel {@code <prefix>.t.<t>}; each message is
 * {@code 2|<node id>|<publish time>|<frame>} (version {@code 1}, without the time, is still received). A node sends its own dispatches to its local subscribers itself and ignores its own messages coming back, so no
 * spoke receives a dispatch twice; a message that is no valid envelope is ignored, counted and logged
 * rate-limited. Topics with history in a {@link RedisHistoryStore} are the exception: their stamped frames
 * (version {@code 3}) are published by the store's append script, and every node, this one included, delivers them
 * as they come back.</li>
 * <li><b>Publishing.</b> One connection, pipelined, behind a bounded buffer ({@link RedisBrokerOptions#outboundBufferSize()}):
 * {@link #publish} never blocks; what does not fit, or comes while Redis is down, is dropped and counted.</li>
 * <li><b>Subscribing.</b> One pub/sub connection, subscribed only to topics with local subscribers; topics becoming
 * active together go out in batched SUBSCRIBE commands; the last local subscriber leaving unsubscribes after
 * {@link RedisBrokerOptions#unsubscribeDelay()}, if the topic has no local subscriber then.</li>
 * <li><b>Outages.</b> Losing either connection turns the broker {@link BrokerState#DOWN DOWN} (logged once): both are
 * closed, and the broker reconnects with exponential backoff, then subscribes to every topic the hub's registry
 * holds. Lettuce's own reconnect (and its resubscription) is off, so no channel is ever subscribed twice. RESP2 is
 * used, so Redis treats the subscribing connection as a pub/sub client ({@code client-output-buffer-limit pubsub},
 * {@code CLIENT KILL TYPE pubsub}). Commands do not time out: a publish holds its place in the outbound buffer until
 * Redis answers or the connection is lost, so a paused Redis cannot make memory grow. A broker
 * whose Redis is unreachable at start starts DOWN and joins once Redis answers.</li>
 * </ul>
 *
 * <p>Thread-safe. One control thread owns the connections and sends subscription commands; one writer thread
 * publishes; Lettuce's I/O thread delivers inbound frames to the hub. {@link #close()} stops all of them.
 */
public final class RedisBroker implements Broker {

    private static final Logger logger = LoggerFactory.getLogger(RedisBroker.class);

    private static final CompletionStage<Void> CONFIRMED = CompletableFuture.completedStage(null);

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private static final Duration MALFORMED_WARN_INTERVAL = Duration.ofSeconds(10);

    private enum Lifecycle {
        NEW, CONNECTING, UP, RECONNECTING, CLOSED
    }

    private final RedisBrokerOptions options;

    private final String nodeId;

    private final ChannelNames channels;

    private final ReceiveCodec receiveCodec;

    private final PublishCodec publishCodec;

    private final @Nullable ClientResources ownResources;

    private final RedisClient client;

    private final ScheduledExecutorService control;

    private final OutboundPublisher publisher;

    private final Set<String> pendingUnsubscribeChecks = ConcurrentHashMap.newKeySet();

    private final LongAdder delivered = new LongAdder();

    private final LongAdder malformed = new LongAdder();

    private final LagMeter lag;

    private final AtomicLong nextMalformedWarnAt = new AtomicLong(System.nanoTime());

    /** Written on the control thread (and once by attach and close); read anywhere. */
    private volatile Lifecycle lifecycle = Lifecycle.NEW;

    /**
     * The subscriptions of the live pub/sub connection, null while down. Written on the control thread before
     * {@code lifecycle} turns UP and before the hub's registry is read for the resubscription, so a subscribe that
     * misses the new session is one whose topic the resubscription sees.
     */
    private volatile @Nullable SubscriptionSession session;

    private volatile @Nullable Node node;

    /** The history store that the hub's factory attached, or null: where stamped frames go. */
    private volatile @Nullable RedisHistoryStore history;

    private final Clock clock;

    /** Control thread only. */
    private @Nullable StatefulRedisConnection<String, String> publishing;

    /** Control thread only. */
    private int failedAttempts;

    /** Control thread only: the state last reported to the hub, null before the first. */
    private @Nullable BrokerState reportedState;

    private RedisBroker(RedisBrokerOptions options, Clock clock) {
        this.options = options;
        this.clock = clock;
        this.nodeId = Envelope.randomNodeId();
        this.channels = new ChannelNames(options.channelPrefix());
        this.receiveCodec = new ReceiveCodec(this.nodeId);
        this.publishCodec = new PublishCodec(this.nodeId, clock);
        this.lag = new LagMeter(clock);
        ClientResources shared = options.clientResources();
        this.ownResources = (shared != null) ? null
                : DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(1).build();
        this.client = RedisClient.create((shared != null) ? shared : this.ownResources, options.redisUri());
        this.client.setOptions(clientOptions(options));
        this.client.addListener(new DisconnectionListener());
        this.control = Executors.newSingleThreadScheduledExecutor((task) -> {
            Thread thread = new Thread(task, "fanout-redis-control");
            thread.setDaemon(true);
            return thread;
        });
        this.publisher = new OutboundPublisher(this.channels, options.outboundBufferSize());
    }

    /**
     * Creates a broker; it connects when the hub attaches to it.
     *
     * @param options the options
     * @return a new broker, {@link BrokerState#DOWN DOWN} until it is connected
     */
    public static RedisBroker create(RedisBrokerOptions options) {
        return create(options, Clock.systemUTC());
    }

    /**
     * Creates a broker whose publish times and lags are read from the given wall clock.
     *
     * @param options the options
     * @param clock the wall clock
     * @return a new broker, {@link BrokerState#DOWN DOWN} until it is connected
     */
    static RedisBroker create(RedisBrokerOptions options, Clock clock) {
        return new RedisBroker(Objects.requireNonNull(options, "options"), Objects.requireNonNull(clock, "clock"));
    }

    /**
     * The options this broker was created with.
     *
     * @return the options
     */
    public RedisBrokerOptions options() {
        return this.options;
    }

    /**
     * The id this node puts into its messages, to recognise them when Redis sends them back.
     *
     * @return a random id of {@code [0-9a-z]}
     */
    public String nodeId() {
        return this.nodeId;
    }

    /**
     * The broker's counters now.
     *
     * @return a snapshot
     */
    public RedisBrokerStats stats() {
        SubscriptionSession live = this.session;
        return new RedisBrokerStats(this.publisher.published(), this.publisher.dropped(), this.publisher.failed(),
                this.delivered.sum(), this.malformed.sum(), (live != null) ? live.confirmedTopics() : 0);
    }

    @Override
    public synchronized void attach(Node hub) {
        Objects.requireNonNull(hub, "node");
        if (this.lifecycle != Lifecycle.NEW) {
            throw new IllegalStateException("This broker is already attached to a hub, or closed");
        }
        this.node = hub;
        this.lifecycle = Lifecycle.CONNECTING;
        this.control.execute(this::connect);
    }

    /** The history store routes its frames through this broker's channels, and opens its connection through its client. */
    synchronized void attachHistory(RedisHistoryStore store) {
        if (this.lifecycle == Lifecycle.CLOSED) {
            throw new IllegalStateException("This broker is closed");
        }
        if (this.history != null) {
            throw new IllegalStateException("This broker already has a history store");
        }
        this.history = store;
    }

    RedisClient client() {
        return this.client;
    }

    ChannelNames channels() {
        return this.channels;
    }

    Clock clock() {
        return this.clock;
    }

    @Override
    public void publish(String topic, String frame) {
        this.publisher.offer(topic, frame);
    }

    @Override
    public CompletionStage<Void> subscribe(String topic) {
        SubscriptionSession live = this.session;
        if (live == null) {
            return CONFIRMED;
        }
        CompletionStage<Void> confirmation = live.subscribe(topic);
        Node hub = this.node;
        if (hub != null && !hub.hasLocalSubscribers(topic)) {
            unsubscribe(topic);
        }
        return confirmation;
    }

    @Override
    public void unsubscribe(String topic) {
        if (this.lifecycle == Lifecycle.CLOSED || !this.pendingUnsubscribeChecks.add(topic)) {
            return;
        }
        try {
            this.control.schedule(() -> checkUnsubscribe(topic), this.options.unsubscribeDelay().toNanos(),
                    TimeUnit.NANOSECONDS);
        }
        catch (RejectedExecutionException ex) {
            this.pendingUnsubscribeChecks.remove(topic);
        }
    }

    /**
     * The broker's figures for the hub's meters: {@code published} as in {@link #stats()}, {@code received} its
     * {@code delivered}, {@code dropped} its {@code dropped} plus {@code failed}. The lag runs from the publishing
     * node's wall clock when it wrote the frame to Redis to this node's when it received it; it is only as good as
     * the nodes' clock synchronisation, so negative lags (and lags over {@link LagMeter#MAX_PLAUSIBLE_LAG}) are not
     * counted, nor are frames from nodes that send no publish time (version-1 envelopes).
     *
     * @return a live view, read without I/O
     */
    @Override
    public BrokerStatistics statistics() {
        return new BrokerStatistics() {

            @Override
            public long published() {
                return RedisBroker.this.publisher.published();
            }

            @Override
            public long received() {
                return RedisBroker.this.delivered.sum();
            }

            @Override
            public long dropped() {
                RedisHistoryStore store = RedisBroker.this.history;
                long history = (store != null) ? store.dropped() + store.failed() : 0;
                return RedisBroker.this.publisher.dropped() + RedisBroker.this.publisher.failed() + history;
            }

            @Override
            public long lagCount() {
                return RedisBroker.this.lag.count();
            }

            @Override
            public long lagTotalNanos() {
                return RedisBroker.this.lag.totalNanos();
            }
        };
    }

    @Override
    public BrokerState state() {
        return (this.lifecycle == Lifecycle.UP) ? BrokerState.UP : BrokerState.DOWN;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (this.lifecycle == Lifecycle.CLOSED) {
                return;
            }
            this.lifecycle = Lifecycle.CLOSED;
        }
        try {
            this.control.submit(this::closeConnections).get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (ExecutionException | TimeoutException | RejectedExecutionException ex) {
            logger.debug("Closing the Redis connections did not finish cleanly", ex);
        }
        this.control.shutdownNow();
        this.publisher.close();
        RedisHistoryStore store = this.history;
        if (store != null) {
            try {
                store.close().get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            catch (ExecutionException | TimeoutException ex) {
                logger.debug("Closing the history store's connection did not finish cleanly", ex);
            }
        }
        this.client.shutdown(Duration.ZERO, CLOSE_TIMEOUT);
        if (this.ownResources != null) {
            this.ownResources.shutdown(0, CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).awaitUninterruptibly();
        }
        try {
            this.control.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        logger.debug("Redis broker {} closed", this.nodeId);
    }

    @Override
    public String toString() {
        return "RedisBroker[node " + this.nodeId + ", " + redisAddress() + ", " + this.lifecycle + "]";
    }

    private void connect() {
        if (this.lifecycle == Lifecycle.CLOSED) {
            return;
        }
        try {
            connectBoth();
        }
        catch (RuntimeException ex) {
            down(rootMessage(ex));
        }
    }

    private void connectBoth() {
        ConnectionFuture<StatefulRedisPubSubConnection<String, ReceiveCodec.Received>> subscribing = this.client
            .connectPubSubAsync(this.receiveCodec, this.options.redisUri());
        ConnectionFuture<StatefulRedisConnection<String, String>> publishingConnection = this.client
            .connectAsync(this.publishCodec, this.options.redisUri());
        CompletableFuture.allOf(subscribing.toCompletableFuture(), publishingConnection.toCompletableFuture())
            .whenCompleteAsync((ignored, failure) -> connected(subscribing.toCompletableFuture(),
                    publishingConnection.toCompletableFuture(), failure), this.control);
    }

    private void connected(CompletableFuture<StatefulRedisPubSubConnection<String, ReceiveCodec.Received>> subscribing,
            CompletableFuture<StatefulRedisConnection<String, String>> publishingConnection,
            @Nullable Throwable failure) {
        StatefulRedisPubSubConnection<String, ReceiveCodec.Received> sub = successOf(subscribing);
        StatefulRedisConnection<String, String> pub = successOf(publishingConnection);
        Node hub = this.node;
        if (this.lifecycle == Lifecycle.CLOSED || hub == null) {
            closeQuietly(sub);
            closeQuietly(pub);
            return;
        }
        if (failure != null || sub == null || pub == null || !sub.isOpen() || !pub.isOpen()) {
            closeQuietly(sub);
            closeQuietly(pub);
            down((failure != null) ? rootMessage(failure) : "the connection closed while opening");
            return;
        }
        SubscriptionSession fresh = new SubscriptionSession(sub, this.channels, this.options.subscribeBatchSize(),
                this.control);
        sub.addListener(new InboundListener(fresh));
        this.publishing = pub;
        this.publisher.connect(pub);
        this.session = fresh;
        this.lifecycle = Lifecycle.UP;
        this.failedAttempts = 0;
        Set<String> needed = hub.localTopics();
        needed.forEach(fresh::subscribe);
        logger.info("Redis broker UP: node {} connected to {}, subscribing to {} topics", this.nodeId,
                redisAddress(), needed.size());
        report(BrokerState.UP);
        RedisHistoryStore store = this.history;
        if (store != null) {
            store.brokerConnected();
        }
    }

    /** Control thread: a connection of the live session was lost. */
    private void lost(RedisChannelHandler<?, ?> connection) {
        SubscriptionSession live = this.session;
        boolean ours = (live != null && connection == live.connection()) || connection == this.publishing;
        if (this.lifecycle != Lifecycle.UP || !ours) {
            return;
        }
        down("the connection to Redis was lost");
    }

    private void down(String reason) {
        SubscriptionSession lostSession = this.session;
        this.session = null;
        this.publisher.disconnect();
        if (lostSession != null) {
            lostSession.end();
            closeQuietly(lostSession.connection());
        }
        closeQuietly(this.publishing);
        this.publishing = null;
        this.lifecycle = Lifecycle.RECONNECTING;
        if (this.reportedState != BrokerState.DOWN) {
            logger.warn("Redis broker DOWN: node {} cannot reach Redis at {} ({}); dispatches reach this node's "
                    + "spokes only until it reconnects", this.nodeId, redisAddress(), reason);
            report(BrokerState.DOWN);
        }
        else {
            logger.debug("Reconnecting to Redis at {} failed: {}", redisAddress(), reason);
        }
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        long min = this.options.minReconnectDelay().toNanos();
        long max = this.options.maxReconnectDelay().toNanos();
        long delay = (long) Math.min(max, min * Math.pow(2, Math.min(this.failedAttempts, 30)));
        this.failedAttempts++;
        long jittered = delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
        this.control.schedule(this::connect, jittered, TimeUnit.NANOSECONDS);
    }

    private void report(BrokerState state) {
        this.reportedState = state;
        Node hub = this.node;
        if (hub != null) {
            hub.brokerStateChanged(state);
        }
    }

    private void checkUnsubscribe(String topic) {
        this.pendingUnsubscribeChecks.remove(topic);
        SubscriptionSession live = this.session;
        Node hub = this.node;
        if (live != null && hub != null && live.unsubscribeIfUnneeded(topic, hub)) {
            logger.debug("UNSUBSCRIBE {}", topic);
        }
    }

    private void closeConnections() {
        SubscriptionSession live = this.session;
        this.session = null;
        this.publisher.disconnect();
        if (live != null) {
            live.end();
            try {
                live.connection().async().unsubscribe().get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            catch (ExecutionException | TimeoutException | RuntimeException ex) {
                logger.debug("UNSUBSCRIBE on close failed", ex);
            }
        }
        CompletableFuture<Void> closed = CompletableFuture.allOf(
                closeQuietly((live != null) ? live.connection() : null), closeQuietly(this.publishing));
        this.publishing = null;
        try {
            closed.get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (ExecutionException | TimeoutException ex) {
            logger.debug("Closing the Redis connections did not finish in time", ex);
        }
    }

    private void deliver(String channel, ReceiveCodec.Received received) {
        if (received instanceof ReceiveCodec.Received.Frame frame) {
            String topic = this.channels.topicOf(channel);
            Node hub = this.node;
            if (topic != null && hub != null) {
                if (frame.hasPublishTime()) {
                    this.lag.received(frame.publishedAtMicros());
                }
                this.delivered.increment();
                hub.deliver(topic, frame.frame());
            }
        }
        else if (received instanceof ReceiveCodec.Received.Stamped stamped) {
            deliverStamped(channel, stamped);
        }
        else if (received instanceof ReceiveCodec.Received.Malformed bad) {
            this.malformed.increment();
            warnMalformed(channel, bad);
        }
    }

    /**
     * A stamped frame goes to the history store, which delivers it whichever node appended it; a node without a store
     * (its hub keeps no history for the topic) sends the frames of the other nodes as plain ones. Only the other
     * nodes' frames count as received and for the lag, as for plain frames.
     */
    private void deliverStamped(String channel, ReceiveCodec.Received.Stamped stamped) {
        String topic = this.channels.topicOf(channel);
        Node hub = this.node;
        if (topic == null || hub == null) {
            return;
        }
        if (!stamped.own()) {
            this.lag.received(stamped.publishedAtMicros());
            this.delivered.increment();
        }
        RedisHistoryStore store = this.history;
        if (store != null) {
            store.delivered(topic, stamped.offset(), stamped.frame());
        }
        else if (!stamped.own()) {
            hub.deliver(topic, stamped.frame());
        }
    }

    private void warnMalformed(String channel, ReceiveCodec.Received.Malformed bad) {
        long now = System.nanoTime();
        long next = this.nextMalformedWarnAt.get();
        if (now - next >= 0 && this.nextMalformedWarnAt.compareAndSet(next, now + MALFORMED_WARN_INTERVAL.toNanos())) {
            logger.warn("Ignored a message on {}: {}: '{}' ({} ignored so far; next warning in {}s at the earliest)",
                    printable(channel), bad.problem(), printable(bad.excerpt()), this.malformed.sum(),
                    MALFORMED_WARN_INTERVAL.toSeconds());
        }
        else {
            logger.debug("Ignored a message on {}: {}", printable(channel), bad.problem());
        }
    }

    private String redisAddress() {
        return this.options.redisUri().getHost() + ":" + this.options.redisUri().getPort();
    }

    private static String printable(String untrusted) {
        StringBuilder out = new StringBuilder(Math.min(untrusted.length(), 100));
        untrusted.codePoints()
            .limit(100)
            .forEach((c) -> out.append(Character.isISOControl(c) ? "\\u" + String.format("%04x", c)
                    : new String(Character.toChars(c))));
        return out.toString();
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private static <T> @Nullable T successOf(CompletableFuture<T> future) {
        return (future.isDone() && !future.isCompletedExceptionally()) ? future.join() : null;
    }

    private static CompletableFuture<Void> closeQuietly(@Nullable StatefulConnection<?, ?> connection) {
        if (connection == null) {
            return CompletableFuture.completedFuture(null);
        }
        try {
            return connection.closeAsync();
        }
        catch (RuntimeException ex) {
            logger.debug("Closing a Redis connection failed", ex);
            return CompletableFuture.completedFuture(null);
        }
    }

    private static ClientOptions clientOptions(RedisBrokerOptions options) {
        ClientOptions.Builder builder = ClientOptions.builder()
            .autoReconnect(false)
            .protocolVersion(ProtocolVersion.RESP2)
            .timeoutOptions(TimeoutOptions.builder().timeoutCommands(false).build())
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .socketOptions(SocketOptions.builder()
                .connectTimeout(options.redisUri().getTimeout())
                .keepAlive(true)
                .build());
        if (options.sslOptions() != null) {
            builder.sslOptions(options.sslOptions());
        }
        return builder.build();
    }

    /**
     * Lettuce tells every client listener of every connection it closes; only the live ones matter.
     */
    private final class DisconnectionListener implements RedisConnectionStateListener {

        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
            try {
                RedisBroker.this.control.execute(() -> lost(connection));
            }
            catch (RejectedExecutionException ex) {
                logger.trace("Disconnected while closing", ex);
            }
        }
    }

    /**
     * Runs on Lettuce's I/O thread, in the order Redis sent the messages: frames go to the hub at once; SUBSCRIBE
     * replies go to the control thread, which owns the session's bookkeeping.
     */
    private final class InboundListener extends RedisPubSubAdapter<String, ReceiveCodec.Received> {

        private final SubscriptionSession owner;

        InboundListener(SubscriptionSession owner) {
            this.owner = owner;
        }

        @Override
        public void message(String channel, ReceiveCodec.Received message) {
            deliver(channel, message);
        }

        @Override
        public void subscribed(String channel, long count) {
            String topic = RedisBroker.this.channels.topicOf(channel);
            if (topic == null) {
                return;
            }
            try {
                RedisBroker.this.control.execute(() -> this.owner.confirmed(topic));
            }
            catch (RejectedExecutionException ex) {
                logger.trace("Subscribed while closing", ex);
            }
        }
    }
}
