package dev.fanout.redis;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.fanout.BrokerState;
import dev.fanout.HistoryEntry;
import dev.fanout.HistoryRule;
import dev.fanout.HistorySlice;
import dev.fanout.HistoryStore;
import dev.fanout.TimeSource;
import dev.fanout.redis.testing.RedisServer;

import static dev.fanout.redis.ClusterNode.WAIT;
import static org.awaitility.Awaitility.await;

/**
 * One node of a test cluster without a hub: a {@link RedisBroker} attached to a node that needs every topic, and its
 * {@link RedisHistoryStore}, whose deliveries it records in order.
 */
final class StoreNode implements AutoCloseable {

    final RedisBroker broker;

    final RedisHistoryStore store;

    final List<HistoryEntry> delivered = new CopyOnWriteArrayList<>();

    private final Set<String> topics;

    private StoreNode(RedisBrokerOptions brokerOptions, RedisHistoryOptions options, Set<String> topics) {
        this.topics = topics;
        this.broker = RedisBroker.create(brokerOptions);
        this.broker.attach(new Node());
        this.store = (RedisHistoryStore) RedisHistoryStore.factory(options)
            .create(new HistoryStore.Context(TimeSource.system(), this.topics::contains, this.broker,
                    (topic, offset, frame) -> this.delivered.add(new HistoryEntry(offset, frame))));
    }

    /** Starts a node subscribed to the topics, and waits until Redis confirmed them. */
    static StoreNode start(RedisServer redis, RedisHistoryOptions options, String... topics) {
        return start(ClusterNode.options(redis).build(), options, topics);
    }

    /** Starts a node whose broker has the given options, subscribed to the topics. */
    static StoreNode start(RedisBrokerOptions brokerOptions, RedisHistoryOptions options, String... topics) {
        StoreNode node = new StoreNode(brokerOptions, options, Set.of(topics));
        node.awaitUp();
        return node;
    }

    StoreNode awaitUp() {
        await().atMost(WAIT).until(() -> this.broker.state() == BrokerState.UP);
        for (String topic : this.topics) {
            this.broker.subscribe(topic).toCompletableFuture().join();
        }
        return this;
    }

    /**
     * Appends from this thread alone, again while the append is dropped (the store's connection is being opened
     * again), until Redis confirmed one.
     */
    void appendConfirmed(String topic, HistoryRule rule, String frame) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> {
            long appended = this.store.appended();
            long dropped = this.store.dropped();
            long failed = this.store.failed();
            this.store.append(topic, rule, frame, (t, o, f) -> {
            });
            await().atMost(WAIT).until(() -> this.store.appended() > appended || this.store.dropped() > dropped
                    || this.store.failed() > failed);
            return this.store.appended() > appended;
        });
    }

    HistorySlice read(String topic, HistoryRule rule, long afterOffset, int limit) {
        return this.store.read(topic, rule, afterOffset, limit).toCompletableFuture().join();
    }

    @Override
    public void close() {
        this.broker.close();
    }

    private final class Node implements dev.fanout.Broker.Node {

        @Override
        public void deliver(String topic, String frame) {
            throw new AssertionError("a plain frame reached a node with a history store: " + frame);
        }

        @Override
        public boolean hasLocalSubscribers(String topic) {
            return StoreNode.this.topics.contains(topic);
        }

        @Override
        public Set<String> localTopics() {
            return StoreNode.this.topics;
        }

        @Override
        public void brokerStateChanged(BrokerState state) {
        }
    }
}
