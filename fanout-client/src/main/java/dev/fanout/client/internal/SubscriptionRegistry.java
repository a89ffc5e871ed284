package dev.fanout.client.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import dev.fanout.client.Recovery;
import dev.fanout.client.StreamPosition;
import dev.fanout.client.SubscriptionAck;

/**
 * The client's own record of what it is subscribed to, independent of any connection: the topics to restore after a
 * reconnect, with their options and history positions. The replies they wait for are the {@link AckTracker}'s. Not
 * thread-safe: the client's guard protects it.
 */
final class SubscriptionRegistry {

    private final Map<String, Topic> topics = new LinkedHashMap<>();

    @Nullable Topic topic(String name) {
        return this.topics.get(name);
    }

    Topic add(String name) {
        Topic topic = new Topic(name);
        this.topics.put(name, topic);
        return topic;
    }

    /**
     * Forgets a topic.
     *
     * @return the topic, or {@code null} if it was not subscribed
     */
    @Nullable Topic remove(String name) {
        return this.topics.remove(name);
    }

    List<Topic> topics() {
        return List.copyOf(this.topics.values());
    }

    Set<String> names() {
        return Set.copyOf(this.topics.keySet());
    }

    /**
     * Applies an {@code __ack} of a subscribe request: the topic's position follows the hub's epoch and, unless the
     * hub recovers from the spoke's own position, its latest offset.
     *
     * @return the acknowledgement to report, or {@code null} if the topic was unsubscribed meanwhile
     */
    @Nullable SubscriptionAck acknowledge(PendingRequest request, @Nullable String epoch, @Nullable Long latestOffset,
            @Nullable Boolean recovered) {
        Topic topic = this.topics.get(request.topic);
        if (topic == null) {
            return null;
        }
        Recovery recovery = (request.since == null) ? Recovery.NOT_REQUESTED
                : Boolean.TRUE.equals(recovered) ? Recovery.RECOVERED : Recovery.NOT_RECOVERED;
        StreamPosition current = topic.position;
        if (latestOffset != null && (recovery != Recovery.RECOVERED || current == null)) {
            topic.position = new StreamPosition(epoch, latestOffset);
        }
        else if (epoch != null && current != null) {
            topic.position = new StreamPosition(epoch, current.offset());
        }
        return new SubscriptionAck(topic.name, request.resubscription, recovery, topic.position);
    }

    /**
     * Notes the offset of an event received on a subscribed topic; events of other types are not tracked.
     */
    void recordOffset(String name, long offset) {
        Topic topic = this.topics.get(name);
        if (topic != null) {
            StreamPosition current = topic.position;
            topic.position = new StreamPosition((current != null) ? current.epoch() : null, offset);
        }
    }

    void clear() {
        this.topics.clear();
    }

    /**
     * One topic the client keeps subscribed.
     */
    static final class Topic {

        final String name;

        /** Completed by the first acknowledgement (or failure) after {@code subscribe}; replaced on a retry. */
        CompletableFuture<SubscriptionAck> subscribed = new CompletableFuture<>();

        /** The id of the subscribe request written on the current connection and not yet answered. */
        @Nullable String pendingId;

        @Nullable StreamPosition position;

        /** Whether every subscribe of the topic asks for its latest kept event ({@code "latest":true}). */
        boolean latest;

        Topic(String name) {
            this.name = name;
        }
    }
}
