package dev.fanout.redis;

import java.time.Duration;
import java.util.Objects;

import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.resource.ClientResources;
import org.jspecify.annotations.Nullable;

/**
 * The immutable options of a {@link RedisBroker}: start from {@link #builder(RedisURI)}; every builder method
 * validates its value at once.
 *
 * @param redisUri where Redis is (host, port, credentials, database, TLS); its timeout bounds the connection
 *     handshake
 * @param channelPrefix the first part of every channel name: topic {@code t} is channel {@code <prefix>.t.<t>}.
 *     Nodes of one cluster share it; clusters sharing a Redis need different ones
 * @param subscribeBatchSize the most channels one SUBSCRIBE command names
 * @param unsubscribeDelay how long after a topic's last local subscriber left the node checks again and unsubscribes
 * @param outboundBufferSize the most frames waiting to be published or for Redis's reply; more are dropped and
 *     counted
 * @param minReconnectDelay the first pause before reconnecting; it doubles after each failure
 * @param maxReconnectDelay the longest pause between reconnect attempts
 * @param sslOptions trust and key material for TLS, or {@code null} for the JVM's defaults
 * @param clientResources Lettuce's threads and timers to share, or {@code null} for the broker to create small ones
 *     of its own (and shut them down on close); shared resources are left running
 */
public record RedisBrokerOptions(RedisURI redisUri, String channelPrefix, int subscribeBatchSize,
        Duration unsubscribeDelay, int outboundBufferSize, Duration minReconnectDelay, Duration maxReconnectDelay,
        @Nullable SslOptions sslOptions, @Nullable ClientResources clientResources) {

    /** Default {@link #channelPrefix()}. */
    public static final String DEFAULT_CHANNEL_PREFIX = "fanout";

    /** Default {@link #subscribeBatchSize()}. */
    public static final int DEFAULT_SUBSCRIBE_BATCH_SIZE = 256;

    /** Default {@link #unsubscribeDelay()}. */
    public static final Duration DEFAULT_UNSUBSCRIBE_DELAY = Duration.ofSeconds(1);

    /** Default {@link #outboundBufferSize()}. */
    public static final int DEFAULT_OUTBOUND_BUFFER_SIZE = 10_000;

    /** Default {@link #minReconnectDelay()}. */
    public static final Duration DEFAULT_MIN_RECONNECT_DELAY = Duration.ofMillis(100);

    /** Default {@link #maxReconnectDelay()}. */
    public static final Duration DEFAULT_MAX_RECONNECT_DELAY = Duration.ofSeconds(5);

    /**
     * Validates the options; prefer {@link #builder(RedisURI)}.
     *
     * @throws IllegalArgumentException if a size is not positive, a delay is negative (or zero, for the reconnect
     *     delays), the maximum reconnect delay is below the minimum, or the prefix is empty or contains whitespace
     * @throws NullPointerException if the URI, the prefix or a delay is {@code null}
     */
    public RedisBrokerOptions {
        Objects.requireNonNull(redisUri, "redisUri");
        requireValidPrefix(channelPrefix);
        requirePositive("subscribeBatchSize", subscribeBatchSize);
        requireNotNegative("unsubscribeDelay", unsubscribeDelay);
        requirePositive("outboundBufferSize", outboundBufferSize);
        requirePositive("minReconnectDelay", minReconnectDelay);
        requirePositive("maxReconnectDelay", maxReconnectDelay);
        if (maxReconnectDelay.compareTo(minReconnectDelay) < 0) {
            throw new IllegalArgumentException("maxReconnectDelay (" + maxReconnectDelay
                    + ") must not be below minReconnectDelay (" + minReconnectDelay + ")");
        }
    }

    /**
     * A builder with the defaults, for the Redis at the given URI.
     *
     * @param redisUri where Redis is
     * @return a new builder
     */
    public static Builder builder(RedisURI redisUri) {
        return new Builder(redisUri);
    }

    /**
     * A builder that starts from these options.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        return new Builder(this);
    }

    private static void requireValidPrefix(String prefix) {
        Objects.requireNonNull(prefix, "channelPrefix");
        if (prefix.isEmpty() || prefix.chars().anyMatch((c) -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new IllegalArgumentException("channelPrefix must be non-empty, without whitespace, was '" + prefix
                    + "'");
        }
    }

    private static void requirePositive(String name, int value) {
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

    private static void requireNotNegative(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
    }

    /**
     * Builds {@link RedisBrokerOptions}; each method validates its argument at once. Not thread-safe.
     */
    public static final class Builder {

        private RedisURI redisUri;

        private String channelPrefix = DEFAULT_CHANNEL_PREFIX;

        private int subscribeBatchSize = DEFAULT_SUBSCRIBE_BATCH_SIZE;

        private Duration unsubscribeDelay = DEFAULT_UNSUBSCRIBE_DELAY;

        private int outboundBufferSize = DEFAULT_OUTBOUND_BUFFER_SIZE;

        private Duration minReconnectDelay = DEFAULT_MIN_RECONNECT_DELAY;

        private Duration maxReconnectDelay = DEFAULT_MAX_RECONNECT_DELAY;

        private @Nullable SslOptions sslOptions;

        private @Nullable ClientResources clientResources;

        private Builder(RedisURI redisUri) {
            this.redisUri = Objects.requireNonNull(redisUri, "redisUri");
        }

        private Builder(RedisBrokerOptions options) {
            this.redisUri = options.redisUri();
            this.channelPrefix = options.channelPrefix();
            this.subscribeBatchSize = options.subscribeBatchSize();
            this.unsubscribeDelay = options.unsubscribeDelay();
            this.outboundBufferSize = options.outboundBufferSize();
            this.minReconnectDelay = options.minReconnectDelay();
            this.maxReconnectDelay = options.maxReconnectDelay();
            this.sslOptions = options.sslOptions();
            this.clientResources = options.clientResources();
        }

        /**
         * Sets where Redis is.
         *
         * @param uri the URI
         * @return this builder
         */
        public Builder redisUri(RedisURI uri) {
            this.redisUri = Objects.requireNonNull(uri, "redisUri");
            return this;
        }

        /**
         * Sets the first part of every channel name.
         *
         * @param prefix non-empty, without whitespace
         * @return this builder
         * @throws IllegalArgumentException if the prefix is empty or contains whitespace
         */
        public Builder channelPrefix(String prefix) {
            requireValidPrefix(prefix);
            this.channelPrefix = prefix;
            return this;
        }

        /**
         * Sets the most channels one SUBSCRIBE command names.
         *
         * @param channels positive
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder subscribeBatchSize(int channels) {
            requirePositive("subscribeBatchSize", channels);
            this.subscribeBatchSize = channels;
            return this;
        }

        /**
         * Sets how long after a topic's last local subscriber left the node checks again and unsubscribes.
         *
         * @param delay zero or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder unsubscribeDelay(Duration delay) {
            requireNotNegative("unsubscribeDelay", delay);
            this.unsubscribeDelay = delay;
            return this;
        }

        /**
         * Sets the most frames waiting to be published or for Redis's reply.
         *
         * @param frames positive
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder outboundBufferSize(int frames) {
            requirePositive("outboundBufferSize", frames);
            this.outboundBufferSize = frames;
            return this;
        }

        /**
         * Sets the pauses between reconnect attempts: the first, doubling up to the longest.
         *
         * @param min the first pause, positive
         * @param max the longest pause, not below {@code min}
         * @return this builder
         * @throws IllegalArgumentException if a delay is not positive or {@code max} is below {@code min}
         */
        public Builder reconnectDelay(Duration min, Duration max) {
            requirePositive("minReconnectDelay", min);
            requirePositive("maxReconnectDelay", max);
            if (max.compareTo(min) < 0) {
                throw new IllegalArgumentException("maxReconnectDelay must not be below minReconnectDelay");
            }
            this.minReconnectDelay = min;
            this.maxReconnectDelay = max;
            return this;
        }

        /**
         * Sets the TLS trust and key material.
         *
         * @param options the options, or {@code null} for the JVM's defaults
         * @return this builder
         */
        public Builder sslOptions(@Nullable SslOptions options) {
            this.sslOptions = options;
            return this;
        }

        /**
         * Sets Lettuce resources to share; the broker leaves them running on close.
         *
         * @param resources the resources, or {@code null} for the broker's own
         * @return this builder
         */
        public Builder clientResources(@Nullable ClientResources resources) {
            this.clientResources = resources;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the immutable options
         */
        public RedisBrokerOptions build() {
            return new RedisBrokerOptions(this.redisUri, this.channelPrefix, this.subscribeBatchSize,
                    this.unsubscribeDelay, this.outboundBufferSize, this.minReconnectDelay, this.maxReconnectDelay,
                    this.sslOptions, this.clientResources);
        }
    }
}
