package dev.fanout.client.internal;

import java.util.ArrayList;
import java.util.HashMap;
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
 * reconnect with their history positions, and the requests written on the current connection that wait for a reply,
 * by id. Not thread-safe: the client's guard protects it.
 */
final class SubscriptionRegistry {

    /**
     * The prefix of the ids of the client's own requests, so that a late reply to a request it stopped waiting for
     * (timed out, or unsubscribed before the answer) is told apart from a reply to an event the app sent with an id.
     */
    static final String REQUEST_ID_PREFIX = "fc:";

    private final Map<String, Topic> topics = new LinkedHashMap<>();

    private final Map<String, Request> pending = new HashMap<>();

    private long lastRequestId;

    @Nullable Topic topic(String name) {
        return this.topics.get(name);
    }

    Topic add(String name) {
        Topic topic = new Topic(name);
        this.topics.put(name, topic);
        return topic;
    }

    /**
     * Forgets a topic and its pending subscribe request, if any.
     *
     * @return the topic, or {@code null} if it was not subscribed
     */
    @Nullable Topic remove(String name) {
        Topic topic = this.topics.remove(name);
        if (topic != null && topic.pendingId != null) {
            Request request = this.pending.remove(topic.pendingId);
            if (request != null) {
                request.timeout.cancel();
            }
        }
        return topic;
    }

    List<Topic> topics() {
        return List.copyOf(this.topics.values());
    }

    Set<String> names() {
        return Set.copyOf(this.topics.keySet());
    }

    /**
     * Records a subscribe request for a topic; its {@code since} is the topic's position, if it has one.
     *
     * @param resubscription whether the reply goes to the subscription listeners rather than the subscribe future
     */
    Request pendSubscribe(Topic topic, boolean resubscription) {
        Request request = new Request(nextId(), topic.name, true, resubscription, topic.position, null);
        topic.pendingId = request.id;
        this.pending.put(request.id, request);
        return request;
    }

    Request pendUnsubscribe(String topic) {
        Request request = new Request(nextId(), topic, false, false, null, new CompletableFuture<>());
        this.pending.put(request.id, request);
        return request;
    }

    /**
     * Removes and returns the request with this id.
     *
     * @return the request, or {@code null} if none waits under that id (a late or forged reply)
     */
    @Nullable Request takePending(String id) {
        Request request = this.pending.remove(id);
        if (request != null) {
            request.timeout.cancel();
            Topic topic = this.topics.get(request.topic);
            if (topic != null && request.id.equals(topic.pendingId)) {
                topic.pendingId = null;
            }
        }
        return request;
    }

    /**
     * Removes every request waiting for a reply: their connection is gone.
     */
    List<Request> takeAllPending() {
        List<Request> requests = new ArrayList<>(this.pending.values());
        this.pending.clear();
        requests.forEach((request) -> request.timeout.cancel());
        this.topics.values().forEach((topic) -> topic.pendingId = null);
        return requests;
    }

    /**
     * Applies an {@code __ack} of a subscribe request taken with {@link #takePending}: the topic's position follows
     * the hub's epoch and, unless the hub recovers from the spoke's own position, its latest offset.
     *
     * @return the acknowledgement to report, or {@code null} if the topic was unsubscribed meanwhile
     */
    @Nullable SubscriptionAck acknowledge(Request request, @Nullable String epoch, @Nullable Long latestOffset,
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
        takeAllPending();
        this.topics.clear();
    }

    private String nextId() {
        this.lastRequestId++;
        return REQUEST_ID_PREFIX + this.lastRequestId;
    }

    static boolean isRequestId(@Nullable String id) {
        return id != null && id.startsWith(REQUEST_ID_PREFIX);
    }

    /**
     * One topic the client keeps subscribed.
     */
    static final class Topic {

        final String name;

        /** Completed by the first acknowledgement (or failure) after {@code subscribe}; replaced on a retry. */
        CompletableFuture<SubscriptionAck> subscribed = new CompletableFuture<>();

        @Nullable String pendingId;

        @Nullable StreamPosition position;

        /** Whether every subscribe of the topic asks for its latest kept event ({@code "latest":true}). */
        boolean latest;

        Topic(String name) {
            this.name = name;
        }
    }

    /**
     * One request written on the current connection, waiting for its {@code __ack} or {@code __error}.
     */
    static final class Request {

        final String id;

        final String topic;

        final boolean subscribe;

        final boolean resubscription;

        final @Nullable StreamPosition since;

        final @Nullable CompletableFuture<Void> unsubscribed;

        Scheduler.Cancellable timeout = Scheduler.Cancellable.NONE;

        Request(String id, String topic, boolean subscribe, boolean resubscription, @Nullable StreamPosition since,
                @Nullable CompletableFuture<Void> unsubscribed) {
            this.id = id;
            this.topic = topic;
            this.subscribe = subscribe;
            this.resubscription = resubscription;
            this.since = since;
            this.unsubscribed = unsubscribed;
        }
    }
}
