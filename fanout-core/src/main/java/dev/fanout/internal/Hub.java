package dev.fanout.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.fanout.Broker;
import dev.fanout.BrokerState;
import dev.fanout.CloseCodes;
import dev.fanout.Event;
import dev.fanout.EventListener;
import dev.fanout.HubStatistics;
import dev.fanout.HubStatistics.IgnoredReason;
import dev.fanout.HistoryOptions;
import dev.fanout.HistoryRule;
import dev.fanout.HistoryStore;
import dev.fanout.ListenerRegistration;
import dev.fanout.RawSocket;
import dev.fanout.SpokeEventListener;
import dev.fanout.SpokeEventTarget;
import dev.fanout.WebSocketServerEventTarget;
import dev.fanout.WebSocketServerOptions;

/**
 * The {@link WebSocketServerEventTarget} implementation. Create it through
 * {@link WebSocketServerEventTarget#create(WebSocketServerOptions)}.
 *
 * <p>With a cluster {@link Broker}, a dispatch is sent to the local subscribers in the dispatching thread, as on a
 * single node, and handed to the broker once, already serialized; frames from other nodes are sent to the local
 * subscribers as received. With {@link Broker#local()} the hub never calls the broker on the dispatch path.
 *
 * <p>A dispatch to a topic with history ({@link WebSocketServerOptions#history()}) goes through the
 * {@link HistoryStore}, which stamps it with the topic's next offset and delivers it to the subscribers in offset
 * order. A hub without history rules checks one field on the dispatch path and takes none of the history's code.
 */
public final class Hub implements WebSocketServerEventTarget {

    private static final Logger logger = LoggerFactory.getLogger(WebSocketServerEventTarget.class);

    private static final Duration WARN_INTERVAL = Duration.ofSeconds(10);

    /** The close code of a removal that closed nothing: the application removed an open connection. */
    private static final int NOT_CLOSED = -1;

    /** The close code of a socket that was closed already when it was added. */
    private static final int UNKNOWN_CLOSE_CODE = 0;

    private static final CompletionStage<Void> CONFIRMED = CompletableFuture.completedStage(null);

    private final WebSocketServerOptions options;

    private final EventCodec codec;

    private final ConcurrentMap<RawSocket, Connection> connections = new ConcurrentHashMap<>();

    private final TopicRegistry topics;

    /** The cluster broker, or {@code null} for {@link Broker#local()}: a single node skips it on the hot path. */
    private final @Nullable Broker remoteBroker;

    private final ListenerRegistry listeners;

    private final RateLimitedLog inboundProblemLog = new RateLimitedLog(logger, WARN_INTERVAL);

    private final RateLimitedLog callbackFailureLog = new RateLimitedLog(logger, WARN_INTERVAL);

    private final RateLimitedLog sendFailureLog = new RateLimitedLog(logger, WARN_INTERVAL);

    private final HubCounters counters;

    private final ControlReplies replies;

    private final SubscriptionFlow.Context subscriptionContext;

    /** The history, or {@code null} if no rule asks for one: a hub without history skips it on the hot path. */
    private final @Nullable TopicHistories histories;

    /** The flow control, or {@code null} if it is off. */
    private final @Nullable FlowControl flowControl;

    /** Routes what spokes send; knows the spoke whose event this thread delivers, for the flow control to pause. */
    private final InboundRouter inbound;

    private final ReadingValve.Listener pauseCounter;

    /**
     * Creates a hub; use {@link WebSocketServerEventTarget#create(WebSocketServerOptions)} instead.
     *
     * @param options the options
     */
    public Hub(WebSocketServerOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.codec = new EventCodec(options.jsonMapper(), options.maxTopicLength());
        this.listeners = new ListenerRegistry(this.callbackFailureLog);
        this.topics = new TopicRegistry(options.broker());
        this.remoteBroker = (options.broker() == Broker.local()) ? null : options.broker();
        this.counters = new HubCounters(options.statisticsTopicPrefixes(), this.connections::size,
                this.topics::topicCount, this.topics::subscriptionCount, this::bufferedBytes);
        options.broker().attach(new BrokerLink());
        this.replies = new ControlReplies(options.jsonMapper());
        this.histories = historiesOf(options, this.topics, this.remoteBroker);
        this.subscriptionContext = new SubscriptionFlow.Context(
                new GuardedAuthorizer(options.subscriptionAuthorizer(), options.authorizationTimeout(),
                        options.timeSource(), this.callbackFailureLog),
                this.topics, options.maxSubscriptionsPerConnection(), this::subscriptionConfirmed, this.replies,
                this.inboundProblemLog, this.counters::subscriptionDenied, this.histories,
                ReplayPacing.of(options.timeSource(), options.backpressureThreshold(),
                        options.flowControl()));
        this.flowControl = options.flowControl().enabled()
                ? new FlowControl(options.flowControl(), options.timeSource()) : null;
        this.pauseCounter = new PauseCounter();
        this.inbound = new InboundRouter(this.codec, this.counters, this.listeners, this.replies,
                this.inboundProblemLog, options.inboundRateLimit(), options.backpressureThreshold(),
                this::closeOverRateLimit);
    }

    private @Nullable TopicHistories historiesOf(WebSocketServerOptions options, TopicRegistry registry,
            @Nullable Broker cluster) {
        HistoryOptions history = options.history();
        if (history.rules().isEmpty()) {
            return null;
        }
        if (cluster != null && history.store() == HistoryStore.inMemory()) {
            logger.warn("History rules {} are ignored: with a cluster broker ({}) the nodes need a history store they "
                    + "share, and each node's in-memory offsets would differ; topics keep no history, so recovering "
                    + "spokes are told recovered:false", history.rules(), cluster);
            return null;
        }
        HistoryStore store = history.store()
            .create(new HistoryStore.Context(options.timeSource(), registry::hasSubscribers, options.broker(),
                    this::sendStampedToSubscribers));
        return new TopicHistories(history, store, this::sendStampedToSubscribers);
    }

    @Override
    public SpokeEventTarget addConnection(RawSocket socket) {
        Objects.requireNonNull(socket, "socket");
        Connection connection = new Connection(this, socket, new ListenerRegistry(this.callbackFailureLog));
        Connection existing = this.connections.putIfAbsent(socket, connection);
        while (existing != null) {
            if (!existing.isRemovedAndDetached()) {
                return existing;
            }
            if (this.connections.replace(socket, existing, connection)) {
                break;
            }
            existing = this.connections.putIfAbsent(socket, connection);
        }
        connection.attach();
        runCallback("onConnection", () -> this.options.onConnection().accept(connection, socket));
        if (!connection.finishAnnouncing()) {
            fireDisconnection(connection);
        }
        else if (!socket.isOpen()) {
            remove(connection, UNKNOWN_CLOSE_CODE);
        }
        return connection;
    }

    @Override
    public boolean removeConnection(RawSocket socket) {
        Objects.requireNonNull(socket, "socket");
        Connection connection = this.connections.get(socket);
        return connection != null && remove(connection, NOT_CLOSED);
    }

    @Override
    public boolean dispatchEvent(Event event) {
        Objects.requireNonNull(event, "event");
        TopicHistories history = this.histories;
        HistoryRule rule = (history != null) ? history.ruleFor(event.type()) : null;
        if (rule != null) {
            history.append(event.type(), rule, encode(event));
            this.counters.dispatched(event.type(), 0);
            return true;
        }
        String frame = encode(event);
        int delivered = sendToSubscribers(event.type(), frame);
        Broker broker = this.remoteBroker;
        if (broker != null) {
            broker.publish(event.type(), frame);
        }
        this.counters.dispatched(event.type(), delivered);
        return true;
    }

    @Override
    public boolean hasCapacity(String topic) {
        Objects.requireNonNull(topic, "topic");
        FlowControl flow = this.flowControl;
        return flow == null || flow.hasCapacity(topic);
    }

    @Override
    public CompletionStage<Void> awaitCapacity(String topic) {
        Objects.requireNonNull(topic, "topic");
        FlowControl flow = this.flowControl;
        return (flow == null) ? CONFIRMED : flow.awaitCapacity(topic);
    }

    @Override
    public ListenerRegistration addEventListener(String type, EventListener listener) {
        return this.listeners.add(type, listener);
    }

    @Override
    public boolean removeEventListener(String type, EventListener listener) {
        return this.listeners.remove(type, listener);
    }

    @Override
    public ListenerRegistration addSpokeEventListener(String type, SpokeEventListener listener) {
        return this.listeners.add(type, listener);
    }

    @Override
    public boolean removeSpokeEventListener(String type, SpokeEventListener listener) {
        return this.listeners.remove(type, listener);
    }

    @Override
    public int connectionCount() {
        return this.connections.size();
    }

    @Override
    public List<SpokeEventTarget> connections() {
        return List.copyOf(this.connections.values());
    }

    @Override
    public Map<String, Integer> topicSubscriberCounts() {
        return this.topics.subscriberCounts();
    }

    @Override
    public int subscriberCount(String topic) {
        return this.topics.subscribersOf(topic).length;
    }

    @Override
    public HubStatistics statistics() {
        return this.counters;
    }

    private long bufferedBytes() {
        long total = 0;
        for (RawSocket socket : this.connections.keySet()) {
            try {
                total += socket.bufferedAmount();
            }
            catch (RuntimeException ex) {
                logger.debug("Reading the buffered amount of {} failed", socket, ex);
            }
        }
        return total;
    }

    /**
     * When this node's subscription to the topic is effective cluster-wide: for acknowledgements that promise that
     * every later dispatch, from any node, reaches the subscriber. Call it after subscribing a connection.
     *
     * @return a stage that completes when the broker confirmed the subscription; already complete on a single node,
     *     and while the broker is {@link BrokerState#DOWN DOWN}
     */
    CompletionStage<Void> subscriptionConfirmed(String topic) {
        Broker broker = this.remoteBroker;
        return (broker != null) ? broker.subscription(topic) : CONFIRMED;
    }

    @Override
    public long droppedInboundMessageCount() {
        return this.counters.inboundIgnored(IgnoredReason.RATE_LIMITED);
    }

    SubscriptionFlow subscriptionFlowOf(Connection connection) {
        return new SubscriptionFlow(connection, this.subscriptionContext);
    }

    InboundBucket inboundBucket() {
        return InboundBucket.of(this.options.inboundRateLimit(), this.options.timeSource());
    }

    ControlReplies replies() {
        return this.replies;
    }

    String encode(Event event) {
        return this.codec.encode(event);
    }

    long backpressureThreshold() {
        return this.options.backpressureThreshold();
    }

    long highWaterMark() {
        return (this.flowControl != null) ? this.options.flowControl().highWaterMark()
                : this.options.backpressureThreshold();
    }

    ReadingValve readingValveOf(RawSocket socket) {
        return new ReadingValve(socket, this.pauseCounter);
    }

    /**
     * A send found the subscriber above the high-water mark (never called with flow control off: the mark is the
     * threshold then).
     */
    void overHighWater(Connection subscriber) {
        FlowControl flow = this.flowControl;
        if (flow != null) {
            flow.overHighWater(subscriber, this.inbound.publishingSpoke());
        }
    }

    void receive(Connection from, String text) {
        this.inbound.receive(from, text);
    }

    void receive(Connection from, byte[] data) {
        this.inbound.receive(from, data);
    }

    void closed(Connection connection, int code, String reason) {
        logger.debug("{} closed with {} {}", connection, code, reason);
        remove(connection, code);
    }

    void disconnectSlowConsumer(Connection connection, long bufferedAmount) {
        if (!connection.startEviction()) {
            return;
        }
        logger.info("{} buffered {} bytes, over the threshold of {}: closing it with {}", connection, bufferedAmount,
                backpressureThreshold(), CloseCodes.SLOW_CONSUMER);
        RawSocket socket = connection.socket();
        runCallback("onBackpressure", () -> this.options.onBackpressure().accept(connection, socket, bufferedAmount));
        closeQuietly(socket, CloseCodes.SLOW_CONSUMER, "slow consumer");
        remove(connection, CloseCodes.SLOW_CONSUMER);
    }

    void sendFailed(Connection connection, RuntimeException failure) {
        if (!connection.isConnected()) {
            return;
        }
        this.sendFailureLog.warn("Send to {} failed; closing it with {} and removing the connection", connection,
                CloseCodes.INTERNAL_ERROR, failure);
        closeQuietly(connection.socket(), CloseCodes.INTERNAL_ERROR, "send failed");
        remove(connection, CloseCodes.INTERNAL_ERROR);
    }

    private void closeOverRateLimit(Connection connection) {
        closeQuietly(connection.socket(), CloseCodes.POLICY_VIOLATION, "inbound rate limit exceeded");
        remove(connection, CloseCodes.POLICY_VIOLATION);
    }

    /**
     * Removes a connection; the one call that removes it counts its close code, unless it is {@link #NOT_CLOSED}.
     */
    private boolean remove(Connection connection, int closeCode) {
        boolean removedHere;
        try {
            removedHere = connection.markRemovedAndDetach(this.topics);
        }
        finally {
            this.connections.remove(connection.socket(), connection);
        }
        if (removedHere && closeCode != NOT_CLOSED) {
            this.counters.closed(closeCode);
        }
        if (removedHere && !connection.deferDisconnectionWhileAnnouncing()) {
            fireDisconnection(connection);
        }
        return removedHere;
    }

    private void fireDisconnection(Connection connection) {
        runCallback("onDisconnection", () -> this.options.onDisconnection().accept(connection, connection.socket()));
    }

    /**
     * Sends the frame to the topic's subscribers.
     *
     * @return how many of them the frame was handed to
     */
    private int sendToSubscribers(String topic, String frame) {
        int delivered = 0;
        for (Connection subscriber : this.topics.subscribersOf(topic)) {
            if (subscriber.send(frame)) {
                delivered++;
            }
        }
        return delivered;
    }

    private void sendStampedToSubscribers(String topic, long offset, String frame) {
        int delivered = 0;
        for (Connection subscriber : this.topics.subscribersOf(topic)) {
            if (subscriber.sendStamped(topic, offset, frame)) {
                delivered++;
            }
        }
        this.counters.delivered(topic, delivered);
    }

    private static void closeQuietly(RawSocket socket, int code, String reason) {
        try {
            socket.close(code, reason);
        }
        catch (RuntimeException ex) {
            logger.debug("Closing {} failed", socket, ex);
        }
    }

    private void runCallback(String name, Runnable callback) {
        try {
            callback.run();
        }
        catch (Throwable ex) {
            Failures.rethrowIfFatal(ex);
            this.callbackFailureLog.warn("The {} callback threw; the hub carries on", name, ex);
        }
    }

    /**
     * Counts the pauses and the paused publishers in the statistics.
     */
    private final class PauseCounter implements ReadingValve.Listener {

        @Override
        public void paused() {
            Hub.this.counters.publisherPaused();
        }

        @Override
        public void resumed() {
            Hub.this.counters.publisherResumed();
        }
    }

    /**
     * The hub's side of the broker contract, kept off the hub's own surface.
     */
    private final class BrokerLink implements Broker.Node {

        @Override
        public void deliver(String topic, String frame) {
            Hub.this.counters.delivered(topic, sendToSubscribers(topic, frame));
        }

        @Override
        public boolean hasLocalSubscribers(String topic) {
            return Hub.this.topics.hasSubscribers(topic);
        }

        @Override
        public Set<String> localTopics() {
            return Hub.this.topics.topics();
        }

        @Override
        public void brokerStateChanged(BrokerState state) {
            runCallback("onBrokerStateChange", () -> Hub.this.options.onBrokerStateChange().accept(state));
        }
    }
}
