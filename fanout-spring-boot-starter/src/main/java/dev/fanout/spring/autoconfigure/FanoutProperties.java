package dev.fanout.spring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

import dev.fanout.FlowControlOptions;
import dev.fanout.HistoryOptions;

/**
 * Configuration of the fanout hub, under the {@code fanout} prefix. Validated when bound: a value out of range fails
 * start-up with a message naming the property.
 */
@ConfigurationProperties("fanout")
public class FanoutProperties implements Validator {

    /**
     * Whether to auto-configure the fanout hub and its WebSocket endpoint.
     */
    private boolean enabled = true;

    /**
     * Path of the WebSocket endpoint that spokes connect to: a plain path starting with '/'. The browser client
     * defaults to /fanout, so with another path pages connect with connect('/that-path').
     */
    private String path = "/fanout";

    /**
     * Origins whose browser pages may connect, e.g. https://app.example.com; '*' allows every origin. When this and
     * allowed-origin-patterns are empty, only pages of the hub's own origin may connect (clients that send no Origin
     * header, such as servers, always may).
     */
    private List<String> allowedOrigins = new ArrayList<>();

    /**
     * Origin patterns whose browser pages may connect, e.g. https://*.example.com or http://localhost:[*].
     */
    private List<String> allowedOriginPatterns = new ArrayList<>();

    /**
     * Largest inbound message a spoke may send (bytes for binary messages, characters for text messages). A larger
     * one closes the connection with 1009 (Message Too Big). Messages are joined from the container's small
     * buffers as they arrive, so a large limit costs no memory on idle connections.
     */
    private DataSize maxMessageSize = DataSize.ofKilobytes(64);

    /**
     * Longest topic, in characters, a spoke may subscribe to; longer ones are ignored.
     */
    private int maxTopicLength = 256;

    /**
     * Most topics one connection may be subscribed to at once; further subscriptions are ignored.
     */
    private int maxSubscriptionsPerConnection = 1024;

    /**
     * How long one send to a spoke may stay unfinished before the spoke counts as a slow consumer and is closed with
     * 1013 (Try Again Later), even if nothing else is sent to it. Also bounds pings and normal close frames.
     */
    private Duration sendStallTimeout = Duration.ofSeconds(10);

    private final Backpressure backpressure = new Backpressure();

    private final Heartbeat heartbeat = new Heartbeat();

    private final Metrics metrics = new Metrics();

    private final Shutdown shutdown = new Shutdown();

    private final Authorization authorization = new Authorization();

    private final Inbound inbound = new Inbound();

    private final History history = new History();

    private final FlowControl flowControl = new FlowControl();

    public boolean isEnabled() {
        return this.enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getPath() {
        return this.path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public List<String> getAllowedOrigins() {
        return this.allowedOrigins;
    }

    public void setAllowedOrigins(List<String> allowedOrigins) {
        this.allowedOrigins = allowedOrigins;
    }

    public List<String> getAllowedOriginPatterns() {
        return this.allowedOriginPatterns;
    }

    public void setAllowedOriginPatterns(List<String> allowedOriginPatterns) {
        this.allowedOriginPatterns = allowedOriginPatterns;
    }

    public DataSize getMaxMessageSize() {
        return this.maxMessageSize;
    }

    public void setMaxMessageSize(DataSize maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    public int getMaxTopicLength() {
        return this.maxTopicLength;
    }

    public void setMaxTopicLength(int maxTopicLength) {
        this.maxTopicLength = maxTopicLength;
    }

    public int getMaxSubscriptionsPerConnection() {
        return this.maxSubscriptionsPerConnection;
    }

    public void setMaxSubscriptionsPerConnection(int maxSubscriptionsPerConnection) {
        this.maxSubscriptionsPerConnection = maxSubscriptionsPerConnection;
    }

    public Duration getSendStallTimeout() {
        return this.sendStallTimeout;
    }

    public void setSendStallTimeout(Duration sendStallTimeout) {
        this.sendStallTimeout = sendStallTimeout;
    }

    public Backpressure getBackpressure() {
        return this.backpressure;
    }

    public Heartbeat getHeartbeat() {
        return this.heartbeat;
    }

    public Metrics getMetrics() {
        return this.metrics;
    }

    public Shutdown getShutdown() {
        return this.shutdown;
    }

    public History getHistory() {
        return this.history;
    }

    public Authorization getAuthorization() {
        return this.authorization;
    }

    public Inbound getInbound() {
        return this.inbound;
    }

    public FlowControl getFlowControl() {
        return this.flowControl;
    }

    /**
     * Flow control: a fast publisher never costs a healthy reader its connection. While the events a spoke publishes
     * (relayed by the application's listeners) back subscribers up past the high-water mark, the hub stops reading
     * that spoke, so TCP pushes back on it, and reads again once they are at the low-water mark. Application
     * publishers ask the hub's hasCapacity(topic) or awaitCapacity(topic).
     */
    public static class FlowControl {

        /**
         * Whether to pause the reading of spokes whose events back subscribers up (on Tomcat; Jetty cannot pause, and
         * there only the capacity signal works). Off: only the slow-consumer rule applies.
         */
        private boolean enabled = true;

        /**
         * Data buffered for a subscriber above which it counts as backed up, and the spokes whose events it is sent
         * are paused. Must be below backpressure.threshold. Default: a quarter of backpressure.threshold (256KB).
         */
        private @Nullable DataSize highWaterMark;

        /**
         * Data buffered for a backed-up subscriber at or below which it counts as drained, and the spokes paused for
         * it resume. Must be below high-water-mark. Default: a sixteenth of backpressure.threshold (64KB).
         */
        private @Nullable DataSize lowWaterMark;

        /**
         * How often the hub looks at the backed-up subscribers while there are any: the longest a paused spoke stays
         * paused after its subscribers drained.
         */
        private Duration checkInterval = FlowControlOptions.DEFAULT_CHECK_INTERVAL;

        /**
         * How long a subscriber may stay backed up before publishers stop waiting for it: one that has not drained
         * by then is not keeping up, and is left to the slow-consumer rule (closed with 1013 at
         * backpressure.threshold). Also the longest two spokes that publish to each other can hold each other paused.
         */
        private Duration drainTimeout = FlowControlOptions.DEFAULT_DRAIN_TIMEOUT;

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public @Nullable DataSize getHighWaterMark() {
            return this.highWaterMark;
        }

        public void setHighWaterMark(@Nullable DataSize highWaterMark) {
            this.highWaterMark = highWaterMark;
        }

        public @Nullable DataSize getLowWaterMark() {
            return this.lowWaterMark;
        }

        public void setLowWaterMark(@Nullable DataSize lowWaterMark) {
            this.lowWaterMark = lowWaterMark;
        }

        public Duration getCheckInterval() {
            return this.checkInterval;
        }

        public void setCheckInterval(Duration checkInterval) {
            this.checkInterval = checkInterval;
        }

        public Duration getDrainTimeout() {
            return this.drainTimeout;
        }

        public void setDrainTimeout(Duration drainTimeout) {
            this.drainTimeout = drainTimeout;
        }

        /**
         * The hub's flow control options for these properties and a backpressure threshold: the marks not set are
         * derived from the threshold.
         *
         * @param backpressureThreshold the threshold in bytes
         * @return the options
         * @throws IllegalArgumentException if the marks or timers are out of range
         */
        FlowControlOptions toOptions(long backpressureThreshold) {
            if (!this.enabled) {
                return FlowControlOptions.off();
            }
            if (this.highWaterMark == null && this.lowWaterMark == null) {
                FlowControlOptions derived = FlowControlOptions.derivedFrom(backpressureThreshold);
                return derived.enabled()
                        ? derived.withCheckInterval(this.checkInterval).withDrainTimeout(this.drainTimeout) : derived;
            }
            long high = highWaterMarkBytes(backpressureThreshold);
            return new FlowControlOptions(true, high, lowWaterMarkBytes(backpressureThreshold, high),
                    this.checkInterval, this.drainTimeout);
        }

        long highWaterMarkBytes(long backpressureThreshold) {
            return (this.highWaterMark != null) ? this.highWaterMark.toBytes()
                    : backpressureThreshold / FlowControlOptions.HIGH_WATER_DIVISOR;
        }

        long lowWaterMarkBytes(long backpressureThreshold, long highWaterMark) {
            return (this.lowWaterMark != null) ? this.lowWaterMark.toBytes()
                    : Math.min(backpressureThreshold / FlowControlOptions.LOW_WATER_DIVISOR, highWaterMark / 4);
        }
    }

    /**
     * Authorization of subscriptions by the application's SubscriptionAuthorizer bean, if there is one.
     */
    public static class Authorization {

        /**
         * How long the hub waits for the SubscriptionAuthorizer's answer to a subscribe before it denies it
         * ('forbidden').
         */
        private Duration timeout = Duration.ofSeconds(10);

        public Duration getTimeout() {
            return this.timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }
    }

    /**
     * Per-connection limit on the messages spokes send. On by default but generous: a browser page sends a few
     * messages a second and subscribes at most max-subscriptions-per-connection topics at once (after a reconnect),
     * so the defaults stop only a spoke stuck in a loop or an attacker, which would otherwise keep the threads that
     * every spoke shares busy with its messages.
     */
    public static class Inbound {

        /**
         * Average number of messages per second one connection may send; messages beyond it (and the burst) are
         * dropped and answered 'rate_limited' when they carry an id. 0 turns the limit off.
         */
        private double rateLimit = 500;

        /**
         * Number of messages one connection may send at once, above the average rate. At least
         * max-subscriptions-per-connection, so that a page can re-subscribe everything after a reconnect.
         */
        private int burst = 2048;

        /**
         * How long a connection may stay over the rate limit before it is closed with 1008 (Policy Violation).
         */
        private Duration closeAfter = Duration.ofSeconds(10);

        public double getRateLimit() {
            return this.rateLimit;
        }

        public void setRateLimit(double rateLimit) {
            this.rateLimit = rateLimit;
        }

        public int getBurst() {
            return this.burst;
        }

        public void setBurst(int burst) {
            this.burst = burst;
        }

        public Duration getCloseAfter() {
            return this.closeAfter;
        }

        public void setCloseAfter(Duration closeAfter) {
            this.closeAfter = closeAfter;
        }
    }

    /**
     * Whether this validates the given type: only {@link FanoutProperties}.
     *
     * @param type the type
     * @return {@code true} for {@link FanoutProperties}
     */
    @Override
    public boolean supports(Class<?> type) {
        return FanoutProperties.class.isAssignableFrom(type);
    }

    /**
     * Checks the bound values: a plain path starting with {@code /}, positive sizes, counts and durations, a heartbeat
     * timeout above twice the interval, no empty origin.
     *
     * @param target these properties
     * @param errors where each violation is reported under its property's name
     */
    @Override
    public void validate(Object target, Errors errors) {
        FanoutPropertiesValidator.validate((FanoutProperties) target, errors);
    }

    /**
     * Slow-consumer protection.
     */
    public static class Backpressure {

        /**
         * Most data that may be buffered (queued or being written) for one spoke before a send: above it the spoke
         * is closed with 1013 (Try Again Later) instead, so memory stays bounded.
         */
        private DataSize threshold = DataSize.ofMegabytes(1);

        public DataSize getThreshold() {
            return this.threshold;
        }

        public void setThreshold(DataSize threshold) {
            this.threshold = threshold;
        }
    }

    /**
     * Detection of spokes that vanished without closing their TCP connection.
     */
    public static class Heartbeat {

        /**
         * How often the hub pings each spoke; browsers and most clients answer with a pong by themselves.
         */
        private Duration interval = Duration.ofSeconds(25);

        /**
         * How long a spoke may stay silent (no message, no pong) before its connection is closed with 1001 as
         * dropped. Must be more than twice the interval.
         */
        private Duration timeout = Duration.ofSeconds(60);

        public Duration getInterval() {
            return this.interval;
        }

        public void setInterval(Duration interval) {
            this.interval = interval;
        }

        public Duration getTimeout() {
            return this.timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }
    }

    /**
     * The hub's Micrometer meters.
     */
    public static class Metrics {

        /**
         * Topic prefixes to tag the event counters with (tag topic.prefix), e.g. prices. or chat; an event counts under
         * the longest prefix its topic starts with, or under 'other'. Empty (the default): no topic tag, since one tag
         * value per topic would grow without bound. At most 64 prefixes.
         */
        private List<String> topicPrefixTags = new ArrayList<>();

        public List<String> getTopicPrefixTags() {
            return this.topicPrefixTags;
        }

        public void setTopicPrefixTags(List<String> topicPrefixTags) {
            this.topicPrefixTags = topicPrefixTags;
        }
    }

    /**
     * What the hub does when the application shuts down.
     */
    public static class Shutdown {

        /**
         * Time over which the spokes still connected at shutdown are closed with 1001 (Going Away), in even slices,
         * so that they do not all reconnect elsewhere at once; new spokes are refused from the start of it. Keep it
         * well below spring.lifecycle.timeout-per-shutdown-phase; 0 closes every spoke at once.
         */
        private Duration drainPeriod = Duration.ofSeconds(10);

        public Duration getDrainPeriod() {
            return this.drainPeriod;
        }

        public void setDrainPeriod(Duration drainPeriod) {
            this.drainPeriod = drainPeriod;
        }
    }

    /**
     * History of chosen topics, so that a spoke that reconnects receives what it missed.
     */
    public static class History {

        /**
         * Topics that keep a history, in order; a topic keeps the history of the first rule whose pattern matches it.
         * Topics no rule matches keep none and cost what they cost without history.
         */
        private List<Rule> rules = new ArrayList<>();

        /**
         * Most events one recovery sends. A spoke that missed more is told "recovered": false instead, and re-fetches
         * its state.
         */
        private int maxRecoveredEvents = HistoryOptions.DEFAULT_MAX_RECOVERED_EVENTS;

        public List<Rule> getRules() {
            return this.rules;
        }

        public void setRules(List<Rule> rules) {
            this.rules = rules;
        }

        public int getMaxRecoveredEvents() {
            return this.maxRecoveredEvents;
        }

        public void setMaxRecoveredEvents(int maxRecoveredEvents) {
            this.maxRecoveredEvents = maxRecoveredEvents;
        }

        /**
         * One history rule.
         */
        public static class Rule {

            /**
             * Topic name (such as "chat"), or prefix ending in "*" (such as "prices.*"), of the topics the rule
             * applies to.
             */
            private String pattern = "";

            /**
             * Most events kept per topic.
             */
            private int size = 100;

            /**
             * Longest an event is kept; also how long a topic without subscribers and without dispatches keeps its
             * history before it is forgotten.
             */
            private Duration ttl = Duration.ofMinutes(5);

            public String getPattern() {
                return this.pattern;
            }

            public void setPattern(String pattern) {
                this.pattern = pattern;
            }

            public int getSize() {
                return this.size;
            }

            public void setSize(int size) {
                this.size = size;
            }

            public Duration getTtl() {
                return this.ttl;
            }

            public void setTtl(Duration ttl) {
                this.ttl = ttl;
            }
        }
    }
}
