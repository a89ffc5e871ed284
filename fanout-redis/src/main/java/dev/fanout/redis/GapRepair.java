package dev.fanout.redis;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.fanout.HistoryEntry;
import dev.fanout.HistoryStore;

/**
 * Makes this node deliver every offset of a topic with history once, in order, although Redis pub/sub may lose
 * messages (a dropped subscribing connection, a failover, a single lost message): per topic with local subscribers it
 * remembers the epoch and the offset it delivered last, and reads what pub/sub did not bring from the topic's stream.
 *
 * <p>Each topic's {@link Track} is a state machine:
 * <pre>
 *   next offset: delivered; a duplicate: dropped
 *     │   ▲
 *     ▼   │
 *    LIVE ── a gap, an offset pub/sub brought before, a resubscription, or a read of the hub ahead ──▶ FILLING
 *     ▲        of the last offset: read after the last offset (live arrivals held back)                    │
 *     ├── read done: entries and held-back arrivals delivered in offset order (what neither has: lost) ────┤
 *     └── read failed, or more than maxHeldBack held back: held-back arrivals in order (the gap: lost) ────┘
 * </pre>
 * An arrival at or below the last offset that is above every offset pub/sub brought before was delivered from the
 * stream already: a duplicate, dropped. One at or below an offset pub/sub brought before cannot be one (pub/sub
 * never repeats a message): Redis may have lost the topic's history, so it is checked by a read like a gap. A read
 * that finds another epoch than the remembered one starts over at offset 0 of the new epoch (nothing of the old one
 * is repaired); one that finds no epoch at all delivers the held-back arrivals as they are. A read that returned a
 * full batch is followed by the next one. A topic's track is created by its first arrival (or a read of the hub
 * that tells its position) while it has local subscribers and dropped by {@link #release} once it has none.
 *
 * <p><b>Reads of the hub wait for the live delivery.</b> A recovery's read (on another connection) can see events
 * whose live delivery to this node is still on its way, or held back by a fill; the hub would then send them twice,
 * from the read and live. So {@link #observed} completes only once this node delivered the read's latest offset: at
 * once if it did, else when a delivery reaches it, or when the epoch it was read in can deliver nothing more. A read
 * that finds events this node has not delivered starts a fill (or one more, after the running fill), so that a quiet
 * topic whose last live events were lost catches up too.
 *
 * <p>Thread-safe. {@link #delivered} runs on Lettuce's pub/sub I/O thread, read completions on the history
 * connection's I/O thread (or the timeout's), {@link #resubscribed} on the broker's control thread, {@link #observed}
 * and {@link #release} on any thread. Each track's state changes only under its monitor, in {@link Track}'s methods,
 * and the frames it delivers are handed to the hub under that monitor too: so arrivals and read completions of one
 * topic, on different threads, deliver in one order. Reads start, and the stages {@link #observed} returned complete,
 * outside the monitor: what the hub does next with a recovery takes its own locks.
 */
final class GapRepair {

    private static final Duration WARN_INTERVAL = Duration.ofSeconds(10);

    private static final Logger logger = LoggerFactory.getLogger(RedisHistoryStore.class);

    private static final long UNKNOWN = -1;

    private static final CompletionStage<Void> CAUGHT_UP = CompletableFuture.completedStage(null);

    /** A track's states; see the class comment. */
    enum State {
        LIVE, FILLING
    }

    /** Reads a topic's stream. */
    @FunctionalInterface
    interface Reader {

        /**
         * Reads the position and, oldest first, at most {@code limit} entries after the offset.
         *
         * @return a stage completing on any thread, exceptionally if the read failed or timed out
         */
        CompletionStage<Range> read(String topic, long afterOffset, int limit);
    }

    /**
     * What a read found.
     *
     * @param epoch the topic's epoch, null if Redis has none (it lost the topic's history)
     * @param latest the topic's latest offset
     * @param entries the entries read, oldest first
     */
    record Range(@Nullable String epoch, long latest, List<HistoryEntry> entries) {

        Range {
            entries = List.copyOf(entries);
        }
    }

    private final Reader reader;

    private final HistoryStore.Delivery delivery;

    private final Predicate<String> hasLocalSubscribers;

    private final int maxHeldBack;

    private final int readBatch;

    private final ConcurrentMap<String, Track> tracks = new ConcurrentHashMap<>();

    private final LongAdder repaired = new LongAdder();

    private final LongAdder recovered = new LongAdder();

    private final LongAdder lost = new LongAdder();

    private final RateLimitedWarning warning;

    /**
     * @param reader reads the streams
     * @param delivery the hub's delivery
     * @param hasLocalSubscribers whether a topic has subscribers on this node now
     * @param maxHeldBack the most live arrivals of one topic held back while a read runs
     * @param readBatch the most entries one read asks for
     * @param nanoClock the monotonic clock of the rate-limited log, in nanoseconds
     */
    GapRepair(Reader reader, HistoryStore.Delivery delivery, Predicate<String> hasLocalSubscribers, int maxHeldBack,
            int readBatch, LongSupplier nanoClock) {
        this.reader = reader;
        this.delivery = delivery;
        this.hasLocalSubscribers = hasLocalSubscribers;
        this.maxHeldBack = maxHeldBack;
        this.readBatch = readBatch;
        this.warning = new RateLimitedWarning(logger, WARN_INTERVAL, nanoClock);
    }

    /** Pub/sub I/O thread: a stamped frame arrived; it is delivered now, later, or dropped as a duplicate. */
    void delivered(String topic, long offset, String frame) {
        Track track = trackOf(topic);
        if (track == null) {
            this.delivery.deliver(topic, offset, frame);
            return;
        }
        proceed(track, track.arrived(offset, frame));
    }

    /**
     * Control thread, once Redis confirmed the topic's SUBSCRIBE after a reconnect: reads what was published while
     * the connection was down (or after the running read began).
     */
    void resubscribed(String topic) {
        Track track = this.tracks.get(topic);
        if (track == null) {
            return;
        }
        if (!this.hasLocalSubscribers.test(topic)) {
            release(topic);
            return;
        }
        proceed(track, track.resubscribed());
    }

    /**
     * Any thread: a read of the hub found the topic's position; a topic without track learns where it stands.
     *
     * @return a stage completing once this node delivered every event up to {@code latest} that it will deliver (see
     *     the class comment), on the thread that made it so; never exceptionally
     */
    CompletionStage<Void> observed(String topic, String epoch, long latest) {
        Track track = trackOf(topic);
        if (track == null) {
            return CAUGHT_UP;
        }
        CompletableFuture<Void> caughtUp = new CompletableFuture<>();
        proceed(track, track.observed(epoch, latest, caughtUp));
        return caughtUp;
    }

    /** Any thread: the topic lost its last local subscriber; its track is dropped unless it has one again. */
    void release(String topic) {
        Track track = this.tracks.get(topic);
        if (track != null && !this.hasLocalSubscribers.test(topic) && this.tracks.remove(topic, track)) {
            track.released = true;
            track.waiters.settleAll();
            track.waiters.completeReady();
        }
    }

    /** Topics with a track now. */
    List<String> trackedTopics() {
        return List.copyOf(this.tracks.keySet());
    }

    /** The topic's state, or null without track: for tests. */
    @Nullable State stateOf(String topic) {
        Track track = this.tracks.get(topic);
        if (track == null) {
            return null;
        }
        synchronized (track) {
            return track.state;
        }
    }

    /** Gaps filled with at least one entry read from the stream, since creation. */
    long repaired() {
        return this.repaired.sum();
    }

    /** Events read from the stream and delivered, since creation. */
    long recovered() {
        return this.recovered.sum();
    }

    /** Offsets that neither pub/sub nor the stream delivered (read failed, trimmed, too many held back). */
    long lost() {
        return this.lost.sum();
    }

    private @Nullable Track trackOf(String topic) {
        Track track = this.tracks.get(topic);
        if (track != null || !this.hasLocalSubscribers.test(topic)) {
            return track;
        }
        return this.tracks.computeIfAbsent(topic, Track::new);
    }

    /** Outside the track's monitor: starts the read the track asked for, if any, and completes its ready waiters. */
    private void proceed(Track track, @Nullable Fill fill) {
        if (fill != null) {
            read(fill);
        }
        track.waiters.completeReady();
    }

    private void read(Fill fill) {
        CompletionStage<Range> read;
        try {
            read = this.reader.read(fill.track.topic, fill.afterOffset, this.readBatch);
        }
        catch (RuntimeException ex) {
            proceed(fill.track, fill.track.completed(fill, null, ex));
            return;
        }
        read.whenComplete((range, failure) -> proceed(fill.track, fill.track.completed(fill, range, failure)));
    }

    /** One read to start: of the track, after the offset; {@code generation} tells a stale completion. */
    private record Fill(Track track, int generation, long afterOffset) {
    }

    /** One topic's state machine; every field but {@code released} under its monitor. */
    private final class Track {

        final String topic;

        State state = State.LIVE;

        @Nullable String epoch;

        /** The offset delivered last, or {@link #UNKNOWN} before the first. */
        long last = UNKNOWN;

        /** The highest offset pub/sub brought: an arrival above it and at or below {@code last} is a duplicate. */
        long lastLive = UNKNOWN;

        /** FILLING: the live arrivals held back, by offset. */
        final NavigableMap<Long, String> heldBack = new TreeMap<>();

        /** Counts the reads begun, so that the completion of one given up (or superseded) changes nothing. */
        int generation;

        /** FILLING: a resubscription came after the running read began, so another read follows it. */
        boolean readAgain;

        /** Set once the track left the map; read without the monitor by completions and arrivals (volatile). */
        volatile boolean released;

        /** The hub's reads waiting for this node's delivery; {@link #release} drains them without the monitor. */
        final CatchUpWaiters waiters = new CatchUpWaiters();

        Track(String topic) {
            this.topic = topic;
        }

        synchronized @Nullable Fill arrived(long offset, String frame) {
            if (this.released) {
                GapRepair.this.delivery.deliver(this.topic, offset, frame);
                return null;
            }
            long previousLive = this.lastLive;
            this.lastLive = Math.max(this.lastLive, offset);
            if (this.state == State.FILLING) {
                this.heldBack.putIfAbsent(offset, frame);
                if (this.heldBack.size() > GapRepair.this.maxHeldBack) {
                    // The running read's completion finds another generation and changes nothing.
                    this.generation++;
                    this.readAgain = false;
                    long gap = flushHeldBack();
                    this.state = State.LIVE;
                    GapRepair.this.warning.warn("Gave up repairing a gap of the topic '{}': more than {} live events "
                            + "were held back ({} lost)", this.topic, GapRepair.this.maxHeldBack, gap);
                }
                return null;
            }
            if (this.last == UNKNOWN || offset == this.last + 1) {
                deliver(offset, frame);
                return null;
            }
            if (offset <= this.last && offset > previousLive) {
                return null;
            }
            this.heldBack.put(offset, frame);
            return beginFill();
        }

        synchronized @Nullable Fill resubscribed() {
            if (this.released || this.last == UNKNOWN) {
                return null;
            }
            if (this.state == State.FILLING) {
                this.readAgain = true;
                return null;
            }
            return beginFill();
        }

        synchronized @Nullable Fill observed(String seen, long latest, CompletableFuture<Void> caughtUp) {
            if (this.epoch == null) {
                this.epoch = seen;
            }
            if (this.last == UNKNOWN && this.state == State.LIVE && seen.equals(this.epoch)) {
                this.last = latest;
                this.lastLive = latest;
            }
            if (this.released || this.last == UNKNOWN || (seen.equals(this.epoch) && this.last >= latest)) {
                this.waiters.ready(caughtUp);
                return null;
            }
            this.waiters.await(seen, latest, caughtUp);
            if (this.released) {
                // release() set the flag before draining the waiters: either it saw this one, or this sees the flag.
                this.waiters.settleAll();
                return null;
            }
            if (this.state == State.FILLING) {
                this.readAgain = true;
                return null;
            }
            return beginFill();
        }

        synchronized @Nullable Fill completed(Fill fill, @Nullable Range range, @Nullable Throwable failure) {
            if (this.released || fill.generation != this.generation || this.state != State.FILLING) {
                return null;
            }
            if (failure != null || range == null) {
                long gap = flushHeldBack();
                this.state = State.LIVE;
                this.readAgain = false;
                GapRepair.this.warning.warn("Could not read the history of the topic '{}' to repair a gap in its "
                        + "live events ({} lost): {}", this.topic, gap,
                        (failure != null) ? failure.toString() : "no reply");
                return null;
            }
            if (this.epoch != null && !this.epoch.equals(range.epoch())) {
                this.epoch = range.epoch();
                settleOtherEpochs();
                this.last = 0;
                this.lastLive = this.heldBack.isEmpty() ? 0 : this.heldBack.lastKey();
                logger.debug("The history of the topic '{}' has a new epoch; delivering it from its start",
                        this.topic);
                if (this.epoch != null) {
                    return beginFill();
                }
                flushHeldBack();
                this.state = State.LIVE;
                this.waiters.settleAll();
                return null;
            }
            this.epoch = range.epoch();
            int fromStream = merge(range);
            if (fromStream > 0) {
                GapRepair.this.repaired.increment();
                GapRepair.this.recovered.add(fromStream);
            }
            if (range.entries().size() >= GapRepair.this.readBatch || this.readAgain) {
                this.readAgain = false;
                return beginFill();
            }
            if (range.latest() > this.last) {
                long trimmed = range.latest() - this.last;
                GapRepair.this.lost.add(trimmed);
                this.last = range.latest();
                GapRepair.this.warning.warn("The history of the topic '{}' no longer had {} events its live stream "
                        + "missed", this.topic, trimmed);
            }
            this.state = State.LIVE;
            this.waiters.settleAll();
            return null;
        }

        /**
         * Under the monitor: delivers the read entries and the held-back arrivals after the last offset, in order (of
         * a full batch, only up to its last entry); returns how many came from the stream alone.
         */
        private int merge(Range range) {
            List<HistoryEntry> entries = range.entries();
            long upTo = (entries.size() >= GapRepair.this.readBatch) ? entries.get(entries.size() - 1).offset()
                    : Long.MAX_VALUE;
            NavigableMap<Long, String> heldDue = this.heldBack.headMap(upTo, true);
            NavigableMap<Long, String> due = new TreeMap<>(heldDue);
            heldDue.clear();
            int fromStream = 0;
            for (HistoryEntry entry : entries) {
                if (entry.offset() > this.last && due.putIfAbsent(entry.offset(), entry.frame()) == null) {
                    fromStream++;
                }
            }
            for (Map.Entry<Long, String> next : due.entrySet()) {
                if (next.getKey() > this.last) {
                    deliverCountingGap(next.getKey(), next.getValue());
                }
            }
            return fromStream;
        }

        /** Under the monitor: delivers the held-back arrivals after the last offset, in order; returns the gap. */
        private long flushHeldBack() {
            long before = GapRepair.this.lost.sum();
            Map.Entry<Long, String> held;
            while ((held = this.heldBack.pollFirstEntry()) != null) {
                if (held.getKey() > this.last) {
                    deliverCountingGap(held.getKey(), held.getValue());
                }
            }
            return GapRepair.this.lost.sum() - before;
        }

        private void deliverCountingGap(long offset, String frame) {
            if (this.last != UNKNOWN && offset > this.last + 1) {
                GapRepair.this.lost.add(offset - this.last - 1);
            }
            deliver(offset, frame);
        }

        private void deliver(long offset, String frame) {
            this.last = offset;
            GapRepair.this.delivery.deliver(this.topic, offset, frame);
            if (!this.waiters.isEmpty()) {
                settle();
            }
        }

        /** Under the monitor: the waiters of the track's epoch whose latest offset is delivered now are ready. */
        private void settle() {
            this.waiters.settleWhere((waiter) -> waiter.epoch().equals(this.epoch) && waiter.latest() <= this.last);
        }

        /** Under the monitor, once the epoch changed: the waiters of another epoch wait for nothing more. */
        private void settleOtherEpochs() {
            this.waiters.settleWhere((waiter) -> !waiter.epoch().equals(this.epoch));
        }

        private Fill beginFill() {
            this.state = State.FILLING;
            return new Fill(this, ++this.generation, this.last);
        }
    }

    @Override
    public String toString() {
        return "GapRepair[" + this.tracks.size() + " topics]";
    }
}
