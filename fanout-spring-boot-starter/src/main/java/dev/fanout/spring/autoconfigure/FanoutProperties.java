package dev.fanout.spring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

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

    public Authorization getAuthorization() {
        return this.authorization;
    }

    public Inbound getInbound() {
        return this.inbound;
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
}
