package dev.fanout.redis;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.RedisClient;
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
 * <p>Thread-safe: every method may be called from any thread. One control thread ({@link ControlThread}) owns the
 * connections and sends subscription commands; one writer thread publishes; Lettuce's I/O thread delivers inbound
 * frames to the hub. {@link #close()} stops all of them.
 *
 * <p>This class is the façade over collaborators with one job each: {@link ConnectionLifecycle} (connect, lose,
 * reconnect with {@link ReconnectBackoff}, close) over a {@link RedisConnector}'s {@link RedisLink}s;
 * {@link Subscriptions} and its {@link SubscriptionSession}s (batched SUBSCRIBE, delayed unsubscribe, resubscription);
 * {@link OutboundPublisher} (the bounded publishing buffer); {@link InboundRouter} (what arrives, where it goes).
 */
public final class RedisBroker implements Broker {

    private static final Logger logger = LoggerFactory.getLogger(RedisBroker.class);

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final RedisBrokerOptions options;

    private final String nodeId;

    private final ChannelNames channels;

    private final Clock clock;

    private final LagMeter lag;

    private final ControlThread control = new ControlThread();

    private final RedisConnector connector;

    private final OutboundPublisher publisher;

    private final Subscriptions subscriptions;

    private final InboundRouter inbound;

    private final ConnectionLifecycle<RedisLink> lifecycle;

    private volatile @Nullable Node node;

    /** The history store that the hub's factory attached, or null: where stamped frames go. */
    private volatile @Nullable RedisHistoryStore history;

    private RedisBroker(RedisBrokerOptions options, Clock clock) {
        this.options = options;
        this.clock = clock;
        this.nodeId = Envelope.randomNodeId();
        this.channels = new ChannelNames(options.channelPrefix());
        this.lag = new LagMeter(clock);
        this.connector = new RedisConnector(options, new ReceiveCodec(this.nodeId), new PublishCodec(this.nodeId, clock));
        this.publisher = new OutboundPublisher(this.channels, options.outboundBufferSize());
        this.subscriptions = new Subscriptions(this.channels, options.subscribeBatchSize(), options.unsubscribeDelay(),
                this.control);
        this.inbound = new InboundRouter(this.channels, this.lag);
        this.lifecycle = new ConnectionLifecycle<>(this.connector, new LinkEvents(), this.control,
                new ReconnectBackoff(options.minReconnectDelay(), options.maxReconnectDelay()));
        this.connector.onDisconnected((connection) -> {
            try {
                this.control.execute(() -> this.lifecycle.lost(connection));
            }
            catch (RejectedExecutionException ex) {
                logger.trace("Disconnected while closing", ex);
            }
        });
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
        RedisHistoryStore store = this.history;
        return new RedisBrokerStats(this.publisher.published(), this.publisher.dropped(), this.publisher.failed(),
                this.inbound.delivered(), this.inbound.malformed(), this.subscriptions.confirmedTopics(),
                (store != null) ? store.gapsRepaired() : 0, (store != null) ? store.gapEventsRecovered() : 0,
                (store != null) ? store.gapEventsLost() : 0);
    }

    /**
     * How many delayed unsubscribe checks ran since the broker was created, whether or not they unsubscribed: for
     * tests that must know the checks overlapped their churn.
     *
     * @return the count
     */
    long delayedUnsubscribeChecks() {
        return this.subscriptions.delayedChecksRun();
    }

    @Override
    public synchronized void attach(Node hub) {
        Objects.requireNonNull(hub, "node");
        if (this.lifecycle.state() != ConnectionLifecycle.State.NEW) {
            throw new IllegalStateException("This broker is already attached to a hub, or closed");
        }
        this.node = hub;
        this.subscriptions.attach(hub);
        this.inbound.attach(hub);
        this.lifecycle.start();
    }

    /** The history store routes its frames through this broker's channels, and opens its connection through its client. */
    synchronized void attachHistory(RedisHistoryStore store) {
        if (this.lifecycle.state() == ConnectionLifecycle.State.CLOSED) {
            throw new IllegalStateException("This broker is closed");
        }
        if (this.history != null) {
            throw new IllegalStateException("This broker already has a history store");
        }
        this.history = store;
        this.inbound.attachHistory(store::delivered);
    }

    RedisClient client() {
        return this.connector.client();
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
        return this.subscriptions.subscribe(topic);
    }

    @Override
    public void unsubscribe(String topic) {
        this.subscriptions.unsubscribe(topic);
        RedisHistoryStore store = this.history;
        if (store != null) {
            store.released(topic);
        }
    }

    /**
     * The broker's figures for the hub's meters: {@code published} as in {@link #stats()}, {@code received} its
     * {@code delivered}, {@code dropped} its {@code dropped} plus {@code failed} (with the history's appends dropped or
     * failed and the events of gaps it could not repair), {@code recovered} the events of gaps repaired from the
     * history. The lag runs from the publishing
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
                return RedisBroker.this.inbound.delivered();
            }

            @Override
            public long dropped() {
                RedisHistoryStore store = RedisBroker.this.history;
                long history = (store != null) ? store.dropped() + store.failed() + store.gapEventsLost() : 0;
                return RedisBroker.this.publisher.dropped() + RedisBroker.this.publisher.failed() + history;
            }

            @Override
            public long recovered() {
                RedisHistoryStore store = RedisBroker.this.history;
                return (store != null) ? store.gapEventsRecovered() : 0;
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
        return (this.lifecycle.state() == ConnectionLifecycle.State.UP) ? BrokerState.UP : BrokerState.DOWN;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (!this.lifecycle.close()) {
                return;
            }
        }
        this.subscriptions.close();
        this.control.runAndWait(this::closeConnections, CLOSE_TIMEOUT);
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
        this.connector.shutdown(CLOSE_TIMEOUT);
        this.control.awaitTermination(CLOSE_TIMEOUT);
        logger.debug("Redis broker {} closed", this.nodeId);
    }

    @Override
    public String toString() {
        return "RedisBroker[node " + this.nodeId + ", " + this.connector.address() + ", " + this.lifecycle + "]";
    }

    /** Control thread, once the lifecycle is closed. */
    private void closeConnections() {
        RedisLink live = this.lifecycle.release();
        this.subscriptions.end();
        this.publisher.disconnect();
        if (live != null) {
            this.connector.closeGracefully(live, CLOSE_TIMEOUT);
        }
    }

    private void report(BrokerState state) {
        Node hub = this.node;
        if (hub != null) {
            hub.brokerStateChanged(state);
        }
    }

    /** What the broker does at each step of its lifecycle, on the control thread. */
    private final class LinkEvents implements ConnectionLifecycle.Listener<RedisLink> {

        @Override
        public void opened(RedisLink link) {
            SubscriptionSession fresh = RedisBroker.this.subscriptions.open(link);
            // Safe although the session is live before its listener: its SUBSCRIBE replies come to commands it sends
            // from this control thread, after this task.
            link.subscribing()
                .addListener(new InboundListener(RedisBroker.this.inbound, RedisBroker.this.channels, fresh,
                        RedisBroker.this.control));
            RedisBroker.this.publisher.connect(link.publishing());
        }

        @Override
        public void up(RedisLink link) {
            int topics = RedisBroker.this.subscriptions.resubscribe();
            logger.info("Redis broker UP: node {} connected to {}, subscribing to {} topics", RedisBroker.this.nodeId,
                    RedisBroker.this.connector.address(), topics);
            report(BrokerState.UP);
            RedisHistoryStore store = RedisBroker.this.history;
            if (store != null) {
                store.brokerConnected();
                // Only once Redis confirmed the SUBSCRIBE: an event published before it is then in the stream.
                for (String topic : store.trackedTopics()) {
                    RedisBroker.this.subscriptions.subscribe(topic)
                        .thenRun(() -> store.resubscribed(topic));
                }
            }
        }

        @Override
        public void lost(RedisLink link) {
            RedisBroker.this.subscriptions.end();
            RedisBroker.this.publisher.disconnect();
        }

        @Override
        public void down(String reason, boolean firstSinceUp) {
            if (firstSinceUp) {
                logger.warn("Redis broker DOWN: node {} cannot reach Redis at {} ({}); dispatches reach this node's "
                        + "spokes only until it reconnects", RedisBroker.this.nodeId,
                        RedisBroker.this.connector.address(), reason);
                report(BrokerState.DOWN);
            }
            else {
                logger.debug("Reconnecting to Redis at {} failed: {}", RedisBroker.this.connector.address(), reason);
            }
        }
    }
}
