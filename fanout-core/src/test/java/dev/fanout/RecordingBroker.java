package dev.fanout;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * A {@link Broker} that records what its hub tells it and lets a test play the other nodes through {@link #node()}.
 * Thread-safe.
 */
final class RecordingBroker implements Broker {

    record Published(String topic, String frame, String thread) {
    }

    private final List<Published> published = new CopyOnWriteArrayList<>();

    private final Map<String, AtomicInteger> netSubscriptions = new ConcurrentHashMap<>();

    private final AtomicInteger attachments = new AtomicInteger();

    private volatile @Nullable Node node;

    @Override
    public void attach(Node node) {
        this.attachments.incrementAndGet();
        this.node = node;
    }

    @Override
    public void publish(String topic, String frame) {
        this.published.add(new Published(topic, frame, Thread.currentThread().getName()));
    }

    @Override
    public CompletionStage<Void> subscribe(String topic) {
        this.netSubscriptions.computeIfAbsent(topic, (key) -> new AtomicInteger()).incrementAndGet();
        return CompletableFuture.completedStage(null);
    }

    @Override
    public CompletionStage<Void> subscription(String topic) {
        return CompletableFuture.completedStage(null);
    }

    @Override
    public void unsubscribe(String topic) {
        this.netSubscriptions.computeIfAbsent(topic, (key) -> new AtomicInteger()).decrementAndGet();
    }

    @Override
    public BrokerState state() {
        return BrokerState.UP;
    }

    @Override
    public void close() {
    }

    Node node() {
        Node attached = this.node;
        if (attached == null) {
            throw new IllegalStateException("no hub attached");
        }
        return attached;
    }

    int attachments() {
        return this.attachments.get();
    }

    List<Published> published() {
        return this.published;
    }

    /** Subscribe calls minus unsubscribe calls per topic: 1 for a topic with local subscribers, 0 otherwise. */
    int netSubscriptions(String topic) {
        AtomicInteger count = this.netSubscriptions.get(topic);
        return (count != null) ? count.get() : 0;
    }
}
