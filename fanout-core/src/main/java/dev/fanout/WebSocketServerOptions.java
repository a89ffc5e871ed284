package dev.fanout;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The immutable options of a {@link WebSocketServerEventTarget}: start from {@link #ofDefaults()} or
 * {@link #builder()}; every builder method validates its value at once.
 *
 * <p>The callbacks run on the thread that caused them (a dispatching thread, or the thread delivering a socket's
 * messages or close); they must not block. A callback that throws is logged and changes nothing else.
 *
 * @param backpressureThreshold the most bytes a connection may have buffered before a send: above it the connection
 *     is closed with 1013 instead
 * @param maxTopicLength the longest topic, in chars, a spoke may subscribe to
 * @param maxSubscriptionsPerConnection the most topics one connection may be subscribed to at once
 * @param jsonMapper the mapper that parses inbound events and serializes outbound ones
 * @param onConnection called when a connection is added
 * @param onDisconnection called once when a connection is removed, whatever removed it
 * @param onBackpressure called when a slow connection is about to be closed with 1013
 * @param broker carries dispatches between the nodes of a cluster; {@link Broker#local()} for a single node. The hub
 *     attaches itself to it and never closes it (its owner does); one broker serves one hub
 * @param onBrokerStateChange called when the broker's state changes, on one of the broker's threads
 * @param subscriptionAuthorizer asked for every subscribe; {@link SubscriptionAuthorizer#ALLOW_ALL} by default
 * @param authorizationTimeout how long the hub waits for the authorizer before it denies
 * @param inboundRateLimit the per-connection limit on inbound messages; {@link InboundRateLimit#unlimited()} by
 *     default
 * @param timeSource the clock of the rate limit and the timer of the authorization timeout;
 *     {@link TimeSource#system()} except in tests
 * @param statisticsTopicPrefixes the topic prefixes that {@link HubStatistics} keeps its event counters for, besides
 *     the totals (at most {@value #MAX_STATISTICS_TOPIC_PREFIXES}, each non-empty, none equal to
 *     {@value HubStatistics#OTHER_PREFIX}); empty by default
 * @param history which topics keep a history that reconnecting spokes recover from; {@link HistoryOptions#none()}
 *     by default
 * @param flowControl how the hub throttles publishers whose fan-out backs subscribers up; by default
 *     {@link FlowControlOptions#derivedFrom(long) derived from} the backpressure threshold, whose high-water mark it
 *     must stay below
 */
public record WebSocketServerOptions(long backpressureThreshold, int maxTopicLength, int maxSubscriptionsPerConnection,
        ObjectMapper jsonMapper, ConnectionCallback onConnection, ConnectionCallback onDisconnection,
        BackpressureCallback onBackpressure, Broker broker, BrokerStateCallback onBrokerStateChange,
        SubscriptionAuthorizer subscriptionAuthorizer, Duration authorizationTimeout, InboundRateLimit inboundRateLimit,
        TimeSource timeSource, List<String> statisticsTopicPrefixes, HistoryOptions history,
        FlowControlOptions flowControl) {

    /** Default {@link #backpressureThreshold()}: 1 MiB, as the browser-side predecessor used. */
    public static final long DEFAULT_BACKPRESSURE_THRESHOLD = 1_048_576;

    /** Default {@link #maxTopicLength()}. */
    public static final int DEFAULT_MAX_TOPIC_LENGTH = 256;

    /** Default {@link #maxSubscriptionsPerConnection()}. */
    public static final int DEFAULT_MAX_SUBSCRIPTIONS_PER_CONNECTION = 1024;

    /** The most {@link #statisticsTopicPrefixes()}: the bound on the figures a hub keeps per prefix. */
    public static final int MAX_STATISTICS_TOPIC_PREFIXES = 64;

    /**
     * Default {@link #authorizationTimeout()}: 10 seconds, long enough for a service call on a busy day, short enough
     * that a spoke hears {@code forbidden} before its user gives up.
     */
    public static final Duration DEFAULT_AUTHORIZATION_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Validates the options; prefer {@link #builder()}.
     *
     * @throws IllegalArgumentException if a limit or the timeout is not positive, a statistics topic prefix is
     *     invalid, or the flow control's high-water mark is not below the backpressure threshold
     * @throws NullPointerException if the mapper, a callback, a prefix or another option is {@code null}
     */
    public WebSocketServerOptions {
        requirePositive("backpressureThreshold", backpressureThreshold);
        requirePositive("maxTopicLength", maxTopicLength);
        requirePositive("maxSubscriptionsPerConnection", maxSubscriptionsPerConnection);
        Objects.requireNonNull(jsonMapper, "jsonMapper");
        Objects.requireNonNull(onConnection, "onConnection");
        Objects.requireNonNull(onDisconnection, "onDisconnection");
        Objects.requireNonNull(onBackpressure, "onBackpressure");
        Objects.requireNonNull(broker, "broker");
        Objects.requireNonNull(onBrokerStateChange, "onBrokerStateChange");
        Objects.requireNonNull(subscriptionAuthorizer, "subscriptionAuthorizer");
        requirePositive("authorizationTimeout", authorizationTimeout);
        Objects.requireNonNull(inboundRateLimit, "inboundRateLimit");
        Objects.requireNonNull(timeSource, "timeSource");
        statisticsTopicPrefixes = List.copyOf(statisticsTopicPrefixes);
        requireValidPrefixes(statisticsTopicPrefixes);
        Objects.requireNonNull(history, "history");
        requireMarksBelowThreshold(flowControl, backpressureThreshold);
    }

    /**
     * The options as they were before flow control was configurable, with flow control
     * {@linkplain FlowControlOptions#derivedFrom(long) derived from} the backpressure threshold.
     *
     * @param backpressureThreshold see {@link #backpressureThreshold()}
     * @param maxTopicLength see {@link #maxTopicLength()}
     * @param maxSubscriptionsPerConnection see {@link #maxSubscriptionsPerConnection()}
     * @param jsonMapper see {@link #jsonMapper()}
     * @param onConnection see {@link #onConnection()}
     * @param onDisconnection see {@link #onDisconnection()}
     * @param onBackpressure see {@link #onBackpressure()}
     * @param broker see {@link #broker()}
     * @param onBrokerStateChange see {@link #onBrokerStateChange()}
     * @param subscriptionAuthorizer see {@link #subscriptionAuthorizer()}
     * @param authorizationTimeout see {@link #authorizationTimeout()}
     * @param inboundRateLimit see {@link #inboundRateLimit()}
     * @param timeSource see {@link #timeSource()}
     * @param statisticsTopicPrefixes see {@link #statisticsTopicPrefixes()}
     * @param history see {@link #history()}
     * @throws IllegalArgumentException if a limit or the timeout is not positive, or a statistics topic prefix is
     *     invalid
     * @throws NullPointerException if the mapper, a callback, a prefix or another option is {@code null}
     */
    public WebSocketServerOptions(long backpressureThreshold, int maxTopicLength, int maxSubscriptionsPerConnection,
            ObjectMapper jsonMapper, ConnectionCallback onConnection, ConnectionCallback onDisconnection,
            BackpressureCallback onBackpressure, Broker broker, BrokerStateCallback onBrokerStateChange,
            SubscriptionAuthorizer subscriptionAuthorizer, Duration authorizationTimeout,
            InboundRateLimit inboundRateLimit, TimeSource timeSource, List<String> statisticsTopicPrefixes,
            HistoryOptions history) {
        this(backpressureThreshold, maxTopicLength, maxSubscriptionsPerConnection, jsonMapper, onConnection,
                onDisconnection, onBackpressure, broker, onBrokerStateChange, subscriptionAuthorizer,
                authorizationTimeout, inboundRateLimit, timeSource, statisticsTopicPrefixes, history,
                FlowControlOptions.derivedFrom(backpressureThreshold));
    }

    /**
     * The options of protocol 1 (fanout 0.1), with the defaults for everything added since: every subscription
     * allowed, no inbound rate limit, the system time source, the local broker, no history, flow control derived from
     * the backpressure threshold.
     *
     * @param backpressureThreshold see {@link #backpressureThreshold()}
     * @param maxTopicLength see {@link #maxTopicLength()}
     * @param maxSubscriptionsPerConnection see {@link #maxSubscriptionsPerConnection()}
     * @param jsonMapper see {@link #jsonMapper()}
     * @param onConnection see {@link #onConnection()}
     * @param onDisconnection see {@link #onDisconnection()}
     * @param onBackpressure see {@link #onBackpressure()}
     * @throws IllegalArgumentException if a limit is not positive
     * @throws NullPointerException if the mapper or a callback is {@code null}
     */
    public WebSocketServerOptions(long backpressureThreshold, int maxTopicLength, int maxSubscriptionsPerConnection,
            ObjectMapper jsonMapper, ConnectionCallback onConnection, ConnectionCallback onDisconnection,
            BackpressureCallback onBackpressure) {
        this(backpressureThreshold, maxTopicLength, maxSubscriptionsPerConnection, jsonMapper, onConnection,
                onDisconnection, onBackpressure, Broker.local(), BrokerStateCallback.NONE,
                SubscriptionAuthorizer.ALLOW_ALL, DEFAULT_AUTHORIZATION_TIMEOUT,
                InboundRateLimit.unlimited(), TimeSource.system(), List.of(), HistoryOptions.none(),
                FlowControlOptions.derivedFrom(backpressureThreshold));
    }

    /**
     * The default options: 1 MiB backpressure threshold, topics of up to 256 chars, up to 1024 subscriptions per
     * connection, a plain {@link JsonMapper}, the {@linkplain Broker#local() local broker}, no callbacks, every
     * subscription allowed (10 s authorization timeout), no inbound rate limit, the system time source, no history,
     * flow control {@linkplain FlowControlOptions#derivedFrom(long) derived from} the threshold (high-water mark
     * 256 KiB, low-water mark 64 KiB).
     *
     * @return the defaults
     */
    public static WebSocketServerOptions ofDefaults() {
        return builder().build();
    }

    /**
     * A builder that starts from the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder that starts from these options, to change some of them.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        return new Builder(this);
    }

    private static void requireValidPrefixes(List<String> prefixes) {
        if (prefixes.size() > MAX_STATISTICS_TOPIC_PREFIXES) {
            throw new IllegalArgumentException("statisticsTopicPrefixes must hold at most "
                    + MAX_STATISTICS_TOPIC_PREFIXES + " prefixes, had " + prefixes.size());
        }
        if (new HashSet<>(prefixes).size() != prefixes.size()) {
            throw new IllegalArgumentException("statisticsTopicPrefixes must not repeat a prefix: " + prefixes);
        }
        for (String prefix : prefixes) {
            if (prefix.isEmpty() || HubStatistics.OTHER_PREFIX.equals(prefix)) {
                throw new IllegalArgumentException("A statistics topic prefix must be non-empty and not '"
                        + HubStatistics.OTHER_PREFIX + "', was '" + prefix + "'");
            }
        }
    }

    private static void requireMarksBelowThreshold(FlowControlOptions flowControl, long backpressureThreshold) {
        Objects.requireNonNull(flowControl, "flowControl");
        if (flowControl.enabled() && flowControl.highWaterMark() >= backpressureThreshold) {
            throw new IllegalArgumentException("The flow control's highWaterMark (" + flowControl.highWaterMark()
                    + ") must be below the backpressureThreshold (" + backpressureThreshold + ")");
        }
    }

    private static void requirePositive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    private static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    /**
     * Called when a connection is added to or removed from the hub.
     */
    @FunctionalInterface
    public interface ConnectionCallback {

        /** A callback that does nothing. */
        ConnectionCallback NONE = (spoke, socket) -> {
        };

        /**
         * Handles the connection event.
         *
         * @param spoke the spoke event target of the connection
         * @param socket the raw socket of the connection
         */
        void accept(SpokeEventTarget spoke, RawSocket socket);

        /**
         * A callback that calls this one, then the other (even if this one throws).
         *
         * @param next the callback to call after this one
         * @return the combined callback
         */
        default ConnectionCallback andThen(ConnectionCallback next) {
            Objects.requireNonNull(next, "next");
            return (spoke, socket) -> {
                try {
                    accept(spoke, socket);
                }
                finally {
                    next.accept(spoke, socket);
                }
            };
        }
    }

    /**
     * Called when a connection exceeds the backpressure threshold, before it is closed with 1013.
     */
    @FunctionalInterface
    public interface BackpressureCallback {

        /** A callback that does nothing. */
        BackpressureCallback NONE = (spoke, socket, bufferedAmount) -> {
        };

        /**
         * Handles the slow connection.
         *
         * @param spoke the spoke event target of the connection
         * @param socket the raw socket of the connection
         * @param bufferedAmount the bytes it had buffered, above the threshold
         */
        void accept(SpokeEventTarget spoke, RawSocket socket, long bufferedAmount);

        /**
         * A callback that calls this one, then the other (even if this one throws).
         *
         * @param next the callback to call after this one
         * @return the combined callback
         */
        default BackpressureCallback andThen(BackpressureCallback next) {
            Objects.requireNonNull(next, "next");
            return (spoke, socket, bufferedAmount) -> {
                try {
                    accept(spoke, socket, bufferedAmount);
                }
                finally {
                    next.accept(spoke, socket, bufferedAmount);
                }
            };
        }
    }

    /**
     * Called when the state of the hub's {@link Broker} changes.
     */
    @FunctionalInterface
    public interface BrokerStateCallback {

        /** A callback that does nothing. */
        BrokerStateCallback NONE = (state) -> {
        };

        /**
         * Handles the new state.
         *
         * @param state the broker's state now
         */
        void accept(BrokerState state);

        /**
         * A callback that calls this one, then the other (even if this one throws).
         *
         * @param next the callback to call after this one
         * @return the combined callback
         */
        default BrokerStateCallback andThen(BrokerStateCallback next) {
            Objects.requireNonNull(next, "next");
            return (state) -> {
                try {
                    accept(state);
                }
                finally {
                    next.accept(state);
                }
            };
        }
    }

    /**
     * Builds {@link WebSocketServerOptions}; each method validates its argument at once. Not thread-safe.
     */
    public static final class Builder {

        private long backpressureThreshold = DEFAULT_BACKPRESSURE_THRESHOLD;

        private int maxTopicLength = DEFAULT_MAX_TOPIC_LENGTH;

        private int maxSubscriptionsPerConnection = DEFAULT_MAX_SUBSCRIPTIONS_PER_CONNECTION;

        private ObjectMapper jsonMapper;

        private ConnectionCallback onConnection = ConnectionCallback.NONE;

        private ConnectionCallback onDisconnection = ConnectionCallback.NONE;

        private BackpressureCallback onBackpressure = BackpressureCallback.NONE;

        private Broker broker = Broker.local();

        private BrokerStateCallback onBrokerStateChange = BrokerStateCallback.NONE;

        private List<String> statisticsTopicPrefixes = List.of();

        private SubscriptionAuthorizer subscriptionAuthorizer = SubscriptionAuthorizer.ALLOW_ALL;

        private Duration authorizationTimeout = DEFAULT_AUTHORIZATION_TIMEOUT;

        private InboundRateLimit inboundRateLimit = InboundRateLimit.unlimited();

        private TimeSource timeSource = TimeSource.system();

        private HistoryOptions history = HistoryOptions.none();

        /** The flow control set explicitly, or {@code null} to derive it from the threshold when building. */
        private @Nullable FlowControlOptions flowControl;

        private Builder() {
            this.jsonMapper = JsonMapper.builder().build();
        }

        private Builder(WebSocketServerOptions options) {
            this.backpressureThreshold = options.backpressureThreshold();
            this.maxTopicLength = options.maxTopicLength();
            this.maxSubscriptionsPerConnection = options.maxSubscriptionsPerConnection();
            this.jsonMapper = options.jsonMapper();
            this.onConnection = options.onConnection();
            this.onDisconnection = options.onDisconnection();
            this.onBackpressure = options.onBackpressure();
            this.broker = options.broker();
            this.onBrokerStateChange = options.onBrokerStateChange();
            this.subscriptionAuthorizer = options.subscriptionAuthorizer();
            this.authorizationTimeout = options.authorizationTimeout();
            this.inboundRateLimit = options.inboundRateLimit();
            this.timeSource = options.timeSource();
            this.statisticsTopicPrefixes = options.statisticsTopicPrefixes();
            this.history = options.history();
            FlowControlOptions derived = FlowControlOptions.derivedFrom(options.backpressureThreshold());
            this.flowControl = options.flowControl().equals(derived) ? null : options.flowControl();
        }

        /**
         * Sets the most bytes a connection may have buffered before a send.
         *
         * @param bytes the threshold, positive
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes} is not positive
         */
        public Builder backpressureThreshold(long bytes) {
            requirePositive("backpressureThreshold", bytes);
            this.backpressureThreshold = bytes;
            return this;
        }

        /**
         * Sets the longest topic, in chars, a spoke may subscribe to.
         *
         * @param chars the limit, positive
         * @return this builder
         * @throws IllegalArgumentException if {@code chars} is not positive
         */
        public Builder maxTopicLength(int chars) {
            requirePositive("maxTopicLength", chars);
            this.maxTopicLength = chars;
            return this;
        }

        /**
         * Sets the most topics one connection may be subscribed to at once.
         *
         * @param count the limit, positive
         * @return this builder
         * @throws IllegalArgumentException if {@code count} is not positive
         */
        public Builder maxSubscriptionsPerConnection(int count) {
            requirePositive("maxSubscriptionsPerConnection", count);
            this.maxSubscriptionsPerConnection = count;
            return this;
        }

        /**
         * Sets the mapper that parses inbound events and serializes outbound ones.
         *
         * @param mapper the mapper
         * @return this builder
         */
        public Builder jsonMapper(ObjectMapper mapper) {
            this.jsonMapper = Objects.requireNonNull(mapper, "jsonMapper");
            return this;
        }

        /**
         * Sets the callback for added connections, replacing any previous one.
         *
         * @param callback the callback
         * @return this builder
         */
        public Builder onConnection(ConnectionCallback callback) {
            this.onConnection = Objects.requireNonNull(callback, "onConnection");
            return this;
        }

        /**
         * Sets the callback for removed connections, replacing any previous one.
         *
         * @param callback the callback
         * @return this builder
         */
        public Builder onDisconnection(ConnectionCallback callback) {
            this.onDisconnection = Objects.requireNonNull(callback, "onDisconnection");
            return this;
        }

        /**
         * Sets the callback for connections closed as slow consumers, replacing any previous one.
         *
         * @param callback the callback
         * @return this builder
         */
        public Builder onBackpressure(BackpressureCallback callback) {
            this.onBackpressure = Objects.requireNonNull(callback, "onBackpressure");
            return this;
        }

        /**
         * Sets the broker that carries dispatches between the nodes of a cluster, replacing any previous one.
         *
         * @param broker the broker; {@link Broker#local()} (the default) for a single node
         * @return this builder
         */
        public Builder broker(Broker broker) {
            this.broker = Objects.requireNonNull(broker, "broker");
            return this;
        }

        /**
         * Sets the authorizer asked for every subscribe, replacing any previous one.
         *
         * @param authorizer the authorizer; {@link SubscriptionAuthorizer#ALLOW_ALL} for none
         * @return this builder
         */
        public Builder subscriptionAuthorizer(SubscriptionAuthorizer authorizer) {
            this.subscriptionAuthorizer = Objects.requireNonNull(authorizer, "subscriptionAuthorizer");
            return this;
        }

        /**
         * Sets the callback for changes of the broker's state, replacing any previous one.
         *
         * @param callback the callback
         * @return this builder
         */
        public Builder onBrokerStateChange(BrokerStateCallback callback) {
            this.onBrokerStateChange = Objects.requireNonNull(callback, "onBrokerStateChange");
            return this;
        }

        /**
         * Sets how long the hub waits for the authorizer's answer before it denies the subscription.
         *
         * @param timeout the timeout, positive
         * @return this builder
         * @throws IllegalArgumentException if {@code timeout} is not positive
         */
        public Builder authorizationTimeout(Duration timeout) {
            requirePositive("authorizationTimeout", timeout);
            this.authorizationTimeout = timeout;
            return this;
        }

        /**
         * Sets the per-connection limit on inbound messages.
         *
         * @param limit the limit; {@link InboundRateLimit#unlimited()} for none
         * @return this builder
         */
        public Builder inboundRateLimit(InboundRateLimit limit) {
            this.inboundRateLimit = Objects.requireNonNull(limit, "inboundRateLimit");
            return this;
        }

        /**
         * Sets the clock and timer of the hub; tests pass a fake one.
         *
         * @param timeSource the time source
         * @return this builder
         */
        public Builder timeSource(TimeSource timeSource) {
            this.timeSource = Objects.requireNonNull(timeSource, "timeSource");
            return this;
        }

        /**
         * Sets the topic prefixes that {@link HubStatistics} keeps its event counters for, replacing any previous
         * ones. Each event type counts under the longest of them it starts with, or under
         * {@value HubStatistics#OTHER_PREFIX}.
         *
         * @param prefixes at most {@value #MAX_STATISTICS_TOPIC_PREFIXES} distinct, non-empty prefixes, none equal
         *     to {@value HubStatistics#OTHER_PREFIX}
         * @return this builder
         * @throws IllegalArgumentException if there are too many prefixes, or one is repeated, empty or
         *     {@value HubStatistics#OTHER_PREFIX}
         */
        public Builder statisticsTopicPrefixes(List<String> prefixes) {
            List<String> copy = List.copyOf(prefixes);
            requireValidPrefixes(copy);
            this.statisticsTopicPrefixes = copy;
            return this;
        }

        /**
         * Sets which topics keep a history that reconnecting spokes recover from, replacing any previous setting.
         *
         * @param history the history options; {@link HistoryOptions#none()} for none
         * @return this builder
         */
        public Builder history(HistoryOptions history) {
            this.history = Objects.requireNonNull(history, "history");
            return this;
        }

        /**
         * Sets how the hub throttles publishers whose fan-out backs subscribers up, replacing any previous setting.
         * Until this is called the options are {@linkplain FlowControlOptions#derivedFrom(long) derived from} the
         * backpressure threshold, and follow it when it changes.
         *
         * @param flowControl the flow control options; {@link FlowControlOptions#off()} to turn it off
         * @return this builder
         */
        public Builder flowControl(FlowControlOptions flowControl) {
            this.flowControl = Objects.requireNonNull(flowControl, "flowControl");
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the immutable options
         * @throws IllegalArgumentException if the flow control's high-water mark is not below the backpressure
         *     threshold
         */
        public WebSocketServerOptions build() {
            FlowControlOptions flow = (this.flowControl != null) ? this.flowControl
                    : FlowControlOptions.derivedFrom(this.backpressureThreshold);
            return new WebSocketServerOptions(this.backpressureThreshold, this.maxTopicLength,
                    this.maxSubscriptionsPerConnection, this.jsonMapper, this.onConnection, this.onDisconnection,
                    this.onBackpressure, this.broker, this.onBrokerStateChange, this.subscriptionAuthorizer,
                    this.authorizationTimeout, this.inboundRateLimit, this.timeSource, this.statisticsTopicPrefixes,
                    this.history, flow);
        }
    }
}
