package dev.fanout.internal;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.jspecify.annotations.Nullable;

import dev.fanout.Broker;

/**
 * The subscribers of each topic, as copy-on-write arrays: a dispatch reads one array with one map lookup and no
 * lock, while subscribing and unsubscribing copy the array of one topic under that topic's map-bin lock. A topic
 * whose last subscriber leaves is removed, so the map holds only topics with subscribers.
 *
 * <p>Happens-before: an array is never written after {@link ConcurrentHashMap#compute} publishes it, and a
 * {@link ConcurrentHashMap#get} sees a fully built array.
 *
 * <p>The two transitions of a topic, first subscriber and last subscriber gone, are told to the {@link Broker} right
 * after the copy-on-write step that made them, outside the map's lock. Two transitions of one topic on two threads
 * may reach the broker in either order; the broker re-checks {@link #hasSubscribers} before it unsubscribes, so the
 * registry stays the truth.
 */
final class TopicRegistry {

    private static final Connection[] NO_SUBSCRIBERS = new Connection[0];

    private final ConcurrentMap<String, Connection[]> subscribersByTopic = new ConcurrentHashMap<>();

    private final Broker broker;

    TopicRegistry(Broker broker) {
        this.broker = broker;
    }

    void subscribe(String topic, Connection connection) {
        Connection[] subscribers = this.subscribersByTopic.compute(topic, (key, current) -> with(current, connection));
        if (subscribers.length == 1) {
            this.broker.subscribe(topic);
        }
    }

    void unsubscribe(String topic, Connection connection) {
        if (this.subscribersByTopic.computeIfPresent(topic, (key, current) -> without(current, connection)) == null) {
            this.broker.unsubscribe(topic);
        }
    }

    boolean hasSubscribers(String topic) {
        return this.subscribersByTopic.containsKey(topic);
    }

    Set<String> topics() {
        return Set.copyOf(this.subscribersByTopic.keySet());
    }

    /** The subscribers of a topic now; the caller must not modify the array. */
    Connection[] subscribersOf(String topic) {
        return this.subscribersByTopic.getOrDefault(topic, NO_SUBSCRIBERS);
    }

    int topicCount() {
        return this.subscribersByTopic.size();
    }

    long subscriptionCount() {
        long total = 0;
        for (Connection[] subscribers : this.subscribersByTopic.values()) {
            total += subscribers.length;
        }
        return total;
    }

    Map<String, Integer> subscriberCounts() {
        Map<String, Integer> counts = new TreeMap<>();
        this.subscribersByTopic.forEach((topic, subscribers) -> counts.put(topic, subscribers.length));
        return Collections.unmodifiableMap(counts);
    }

    private static Connection[] with(Connection @Nullable [] current, Connection connection) {
        if (current == null) {
            return new Connection[] { connection };
        }
        for (Connection existing : current) {
            if (existing == connection) {
                return current;
            }
        }
        Connection[] grown = Arrays.copyOf(current, current.length + 1);
        grown[current.length] = connection;
        return grown;
    }

    private static Connection @Nullable [] without(Connection[] current, Connection connection) {
        for (int i = 0; i < current.length; i++) {
            if (current[i] == connection) {
                if (current.length == 1) {
                    return null;
                }
                Connection[] shrunk = new Connection[current.length - 1];
                System.arraycopy(current, 0, shrunk, 0, i);
                System.arraycopy(current, i + 1, shrunk, i, current.length - i - 1);
                return shrunk;
            }
        }
        return current;
    }
}
