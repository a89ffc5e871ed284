package dev.fanout;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The history of a single node, {@link HistoryStore#inMemory()}: per topic, a ring of its latest events (at most the
 * rule's size, none older than its time to live), its latest offset and its epoch, a random string chosen when the
 * topic's history starts, so that a restarted hub, or a topic forgotten and started again, never reuses one.
 *
 * <p>Memory is bounded by size × topics: a topic that has no local subscriber and saw neither a dispatch nor a read
 * for its rule's time to live is forgotten by a sweep that runs at most once per {@link #SWEEP_INTERVAL}, on the
 * thread of an append or a read (the store starts no thread).
 *
 * <p>Thread-safe. Each topic's state is guarded by its {@link TopicStream}'s monitor, which an append holds while it
 * delivers the stamped frame: so the deliveries of one topic happen one at a time in offset order, and a read sees
 * either all of a delivery or none of it. Lock order: a topic's monitor, then whatever the delivery takes.
 */
final class InMemoryHistoryStore implements HistoryStore {

    /** The factory {@link HistoryStore#inMemory()} returns, one shared instance. */
    static final HistoryStore.Factory FACTORY = InMemoryHistoryStore::new;

    static final Duration SWEEP_INTERVAL = Duration.ofSeconds(1);

    private final ConcurrentMap<String, TopicStream> streams = new ConcurrentHashMap<>();

    private final TimeSource timeSource;

    private final Predicate<String> hasLocalSubscribers;

    private final AtomicLong nextSweep;

    /**
     * Creates a store; use {@link HistoryStore#inMemory()} instead.
     */
    InMemoryHistoryStore(HistoryStore.Context context) {
        this.timeSource = context.timeSource();
        this.hasLocalSubscribers = context.hasLocalSubscribers();
        this.nextSweep = new AtomicLong(this.timeSource.nanoTime() + SWEEP_INTERVAL.toNanos());
    }

    @Override
    public void append(String topic, HistoryRule rule, String frame, Delivery delivery) {
        long now = sweepIfDue();
        while (true) {
            TopicStream stream = streamOf(topic);
            synchronized (stream) {
                if (!stream.forgotten) {
                    long offset = stream.append(frame, rule, now);
                    delivery.deliver(topic, offset, stream.newest());
                    return;
                }
            }
        }
    }

    @Override
    public CompletionStage<HistorySlice> read(String topic, HistoryRule rule, long afterOffset, int limit) {
        long now = sweepIfDue();
        while (true) {
            TopicStream stream = streamOf(topic);
            synchronized (stream) {
                if (!stream.forgotten) {
                    return CompletableFuture.completedStage(stream.read(afterOffset, limit, rule, now));
                }
            }
        }
    }

    /** The number of topics whose history is kept now. */
    int topicCount() {
        return this.streams.size();
    }

    private TopicStream streamOf(String topic) {
        return this.streams.computeIfAbsent(topic, (key) -> new TopicStream(newEpoch()));
    }

    private long sweepIfDue() {
        long now = this.timeSource.nanoTime();
        long due = this.nextSweep.get();
        if (now - due >= 0 && this.nextSweep.compareAndSet(due, now + SWEEP_INTERVAL.toNanos())) {
            sweep(now);
        }
        return now;
    }

    private void sweep(long now) {
        for (Iterator<ConcurrentMap.Entry<String, TopicStream>> it = this.streams.entrySet().iterator(); it.hasNext();) {
            ConcurrentMap.Entry<String, TopicStream> entry = it.next();
            TopicStream stream = entry.getValue();
            synchronized (stream) {
                if (stream.idleLongerThanItsTtl(now) && !this.hasLocalSubscribers.test(entry.getKey())) {
                    // Marked under the monitor first, so an append that already holds this stream retries on a new one.
                    stream.forgotten = true;
                    this.streams.remove(entry.getKey(), stream);
                }
            }
        }
    }

    private static String newEpoch() {
        return Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
    }

    /**
     * One topic's history; guarded by its own monitor.
     */
    private static final class TopicStream {

        private final String epoch;

        private final ArrayDeque<Kept> ring = new ArrayDeque<>();

        private long latestOffset;

        private long lastUsed;

        private long ttlNanos;

        private boolean forgotten;

        TopicStream(String epoch) {
            this.epoch = epoch;
        }

        long append(String frame, HistoryRule rule, long now) {
            touch(rule, now);
            long offset = ++this.latestOffset;
            this.ring.addLast(new Kept(new HistoryEntry(offset, HistoryStore.stamp(frame, offset)), now));
            while (this.ring.size() > rule.size()) {
                this.ring.removeFirst();
            }
            return offset;
        }

        String newest() {
            return this.ring.getLast().entry().frame();
        }

        HistorySlice read(long afterOffset, int limit, HistoryRule rule, long now) {
            touch(rule, now);
            while (!this.ring.isEmpty() && now - this.ring.getFirst().keptAt() > this.ttlNanos) {
                this.ring.removeFirst();
            }
            List<HistoryEntry> entries = new ArrayList<>(Math.min(limit, this.ring.size()));
            Iterator<Kept> newestFirst = this.ring.descendingIterator();
            while (entries.size() < limit && newestFirst.hasNext()) {
                HistoryEntry entry = newestFirst.next().entry();
                if (entry.offset() <= afterOffset) {
                    break;
                }
                entries.add(entry);
            }
            Collections.reverse(entries);
            return new HistorySlice(new StreamPosition(this.epoch, this.latestOffset), entries);
        }

        boolean idleLongerThanItsTtl(long now) {
            return now - this.lastUsed > this.ttlNanos;
        }

        private void touch(HistoryRule rule, long now) {
            this.lastUsed = now;
            this.ttlNanos = rule.ttl().toNanos();
        }
    }

    private record Kept(HistoryEntry entry, long keptAt) {
    }
}
