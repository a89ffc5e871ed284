package dev.fanout.spring.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the broker that makes several fanout nodes act as one hub, under the {@code fanout.broker}
 * prefix. The Redis connection itself (host, port, credentials, TLS) comes from Spring Boot's
 * {@code spring.data.redis.*} properties or a service connection.
 */
@ConfigurationProperties("fanout.broker")
public class FanoutBrokerProperties {

    /**
     * Which broker carries dispatches between nodes: 'local' for a single node (nothing leaves the JVM), 'redis' for
     * a cluster over Redis pub/sub (needs dev.fanout:fanout-redis and spring-boot-data-redis on the class path).
     */
    private Type type = Type.LOCAL;

    private final Redis redis = new Redis();

    public Type getType() {
        return this.type;
    }

    public void setType(Type type) {
        this.type = type;
    }

    public Redis getRedis() {
        return this.redis;
    }

    /**
     * The kinds of broker.
     */
    public enum Type {

        /** A single node: dispatches reach this JVM's spokes only. */
        LOCAL,

        /** A cluster over Redis pub/sub. */
        REDIS
    }

    /**
     * The Redis broker.
     */
    public static class Redis {

        /**
         * First part of every channel name: topic 't' is channel '<prefix>.t.<t>'. Nodes of one cluster must share it;
         * clusters sharing one Redis must not.
         */
        private String channelPrefix = "fanout";

        /**
         * Most channels one SUBSCRIBE command names when many topics become active at once (after a reconnect, for
         * instance).
         */
        private int subscribeBatchSize = 256;

        /**
         * How long after a topic's last local subscriber left the node checks again and unsubscribes from its channel,
         * so that a spoke resubscribing at once (a page reload) costs no Redis command.
         */
        private Duration unsubscribeDelay = Duration.ofSeconds(1);

        /**
         * Most dispatches waiting to be published to Redis or for its reply. When Redis is slow or down, further
         * dispatches still reach this node's spokes but are not published: they are dropped and counted.
         */
        private int outboundBufferSize = 10_000;

        /**
         * First pause before reconnecting to Redis after an outage; it doubles after each failed attempt.
         */
        private Duration minReconnectDelay = Duration.ofMillis(100);

        /**
         * Longest pause between two attempts to reconnect to Redis.
         */
        private Duration maxReconnectDelay = Duration.ofSeconds(5);

        /**
         * How long connecting to Redis (TCP connect and handshake) may take before the attempt counts as failed.
         */
        private Duration connectTimeout = Duration.ofSeconds(5);

        private final History history = new History();

        public History getHistory() {
            return this.history;
        }

        public String getChannelPrefix() {
            return this.channelPrefix;
        }

        public void setChannelPrefix(String channelPrefix) {
            this.channelPrefix = channelPrefix;
        }

        public int getSubscribeBatchSize() {
            return this.subscribeBatchSize;
        }

        public void setSubscribeBatchSize(int subscribeBatchSize) {
            this.subscribeBatchSize = subscribeBatchSize;
        }

        public Duration getUnsubscribeDelay() {
            return this.unsubscribeDelay;
        }

        public void setUnsubscribeDelay(Duration unsubscribeDelay) {
            this.unsubscribeDelay = unsubscribeDelay;
        }

        public int getOutboundBufferSize() {
            return this.outboundBufferSize;
        }

        public void setOutboundBufferSize(int outboundBufferSize) {
            this.outboundBufferSize = outboundBufferSize;
        }

        public Duration getMinReconnectDelay() {
            return this.minReconnectDelay;
        }

        public void setMinReconnectDelay(Duration minReconnectDelay) {
            this.minReconnectDelay = minReconnectDelay;
        }

        public Duration getMaxReconnectDelay() {
            return this.maxReconnectDelay;
        }

        public void setMaxReconnectDelay(Duration maxReconnectDelay) {
            this.maxReconnectDelay = maxReconnectDelay;
        }

        public Duration getConnectTimeout() {
            return this.connectTimeout;
        }

        public void setConnectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
        }

        /**
         * Where the cluster keeps the history of the topics that have one (fanout.history.rules): Redis Streams,
         * shared by all nodes, so that they agree on offsets and epochs.
         */
        public static class History {

            /**
             * First part of every history key: topic 't' keeps its events in '<prefix>{t}:stream' and its epoch and
             * latest offset in '<prefix>{t}:meta' (the topic escaped). Nodes of one cluster must share it; clusters
             * sharing one Redis must not.
             */
            private String keyPrefix = "fanout:history:";

            /**
             * How long a topic's epoch and latest offset outlive its last dispatch or recovery (at least its rule's
             * time to live). Once they expire the topic starts a new epoch, and spokes recovering from the old one
             * are told recovered:false.
             */
            private Duration metaTtl = Duration.ofDays(1);

            /**
             * How long a recovering subscribe waits for Redis, and then for this node's live delivery to reach what it
             * read, before it is acknowledged with recovered:false. Also the most one read of a gap repair may take.
             */
            private Duration readTimeout = Duration.ofSeconds(5);

            /**
             * Most live events of one topic a node holds back while it reads a gap in them (events its pub/sub
             * connection lost) from Redis. Past it the node delivers them without the gap, which it counts as lost
             * (in fanout.broker.dropped) and logs. Size it above the events one topic gets within read-timeout.
             */
            private int gapRepairMaxHeldBack = 10_000;

            /**
             * Most entries one read of a gap repair asks Redis for; a longer gap is read batch by batch.
             */
            private int gapRepairBatchSize = 1_000;

            public String getKeyPrefix() {
                return this.keyPrefix;
            }

            public void setKeyPrefix(String keyPrefix) {
                this.keyPrefix = keyPrefix;
            }

            public Duration getMetaTtl() {
                return this.metaTtl;
            }

            public void setMetaTtl(Duration metaTtl) {
                this.metaTtl = metaTtl;
            }

            public Duration getReadTimeout() {
                return this.readTimeout;
            }

            public void setReadTimeout(Duration readTimeout) {
                this.readTimeout = readTimeout;
            }

            public int getGapRepairMaxHeldBack() {
                return this.gapRepairMaxHeldBack;
            }

            public void setGapRepairMaxHeldBack(int gapRepairMaxHeldBack) {
                this.gapRepairMaxHeldBack = gapRepairMaxHeldBack;
            }

            public int getGapRepairBatchSize() {
                return this.gapRepairBatchSize;
            }

            public void setGapRepairBatchSize(int gapRepairBatchSize) {
                this.gapRepairBatchSize = gapRepairBatchSize;
            }
        }
    }
}
