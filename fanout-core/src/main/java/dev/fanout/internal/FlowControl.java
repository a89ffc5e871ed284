package dev.fanout.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.fanout.FlowControlOptions;
import dev.fanout.TimeSource;

/**
 * The hub's flow control (see {@link FlowControlOptions}): which subscribers are backed up, which publishers are
 * paused waiting for which of them, and which subscribers are exempt because they did not drain in time.
 *
 * <p><b>States of a subscriber</b> ({@link Mark}, kept on its {@link Connection}): {@code CLEAR}; {@code BACKED_UP}
 * from the send that found it above the high-water mark until a check finds it at or below the low-water mark, or
 * closed, or backed up for longer than the drain timeout, which makes it {@code EXEMPT}: ignored (no publisher waits
 * for it, it counts for no topic's capacity) until a check finds it at or below the low-water mark again.
 *
 * <p><b>Publishers.</b> A spoke whose event's delivery backs up a subscriber other than itself is paused (through its
 * {@link ReadingValve}) and waits for that subscriber; it resumes once it waits for none, or is removed. A publisher
 * never waits for itself, and a wait lasts at most the drain timeout, so neither a spoke that subscribes to what it
 * publishes nor two spokes that publish to each other can be held paused for longer.
 *
 * <p><b>The check</b> ({@link Tick}): while anything is backed up, exempt, paused or awaited, a task on the
 * {@link TimeSource} runs every check interval. It reads the buffered amounts outside the lock, decides under it, and
 * resumes publishers and completes {@link #awaitCapacity} stages outside it again.
 *
 * <p>Thread-safe. All state is guarded by this object's monitor, which is never held while a socket, a
 * connection's own lock or a caller's stage is called (the only call under it is {@link TimeSource#schedule}). The
 * {@code volatile} {@link Mark} of a connection is written under the monitor and read without it, to skip the monitor
 * for a subscriber that is backed up already: a stale read only costs one pass through the monitor, or one
 * publisher not paused on one send.
 */
final class FlowControl {

    private static final Logger logger = LoggerFactory.getLogger(FlowControl.class);

    private static final Duration WARN_INTERVAL = Duration.ofSeconds(10);

    private static final CompletionStage<Void> NOW = CompletableFuture.completedStage(null);

    /** The flow control state of one subscriber; see {@link FlowControl}. */
    enum Mark {
        CLEAR, BACKED_UP, EXEMPT
    }

    /** The states of the periodic check. */
    private enum Tick {

        /** Nothing to watch: no check is scheduled. */
        IDLE,

        /** A check is scheduled. */
        SCHEDULED,

        /** A check runs; it schedules the next one at its end if anything is left to watch. */
        RUNNING
    }

    private final FlowControlOptions options;

    private final TimeSource time;

    private final RateLimitedLog drainLog = new RateLimitedLog(logger, WARN_INTERVAL);

    /** Backed-up subscribers, each with the time it became backed up. */
    private final Map<Connection, Long> backedUp = new HashMap<>();

    private final Set<Connection> exempt = new HashSet<>();

    /** Paused publishers, each with the subscribers it waits for. */
    private final Map<Connection, Set<Connection>> waiting = new HashMap<>();

    private final Queue<CapacityWaiter> capacityWaiters = new ConcurrentLinkedQueue<>();

    private final Runnable check = this::check;

    private Tick tick = Tick.IDLE;

    /** {@code backedUp.size()}, written under the monitor, read without it by {@link #hasCapacity}. */
    private volatile int backedUpCount;

    FlowControl(FlowControlOptions options, TimeSource time) {
        this.options = options;
        this.time = time;
    }

    /**
     * A send found the subscriber above the high-water mark: marks it backed up and, if a spoke's event is being
     * delivered on this thread, pauses that spoke until the subscriber drained.
     *
     * @param subscriber the subscriber
     * @param publisher the spoke whose event is being delivered on this thread, or {@code null}
     */
    void overHighWater(Connection subscriber, @Nullable Connection publisher) {
        Mark mark = subscriber.flowMark();
        if (mark == Mark.EXEMPT) {
            return;
        }
        boolean attribute = publisher != null && publisher != subscriber && publisher.readingValve().mayPause();
        if (mark == Mark.BACKED_UP && !attribute) {
            return;
        }
        boolean pause = false;
        synchronized (this) {
            mark = subscriber.flowMark();
            if (mark == Mark.EXEMPT) {
                return;
            }
            if (mark == Mark.CLEAR) {
                this.backedUp.put(subscriber, this.time.nanoTime());
                this.backedUpCount = this.backedUp.size();
                subscriber.setFlowMark(Mark.BACKED_UP);
            }
            if (attribute) {
                Set<Connection> waitsFor = this.waiting.computeIfAbsent(publisher, (key) -> new HashSet<>());
                if (waitsFor.add(subscriber) && waitsFor.size() == 1) {
                    publisher.readingValve().want(true);
                    pause = true;
                }
            }
            watch();
        }
        if (pause) {
            publisher.readingValve().apply();
        }
    }

    /**
     * Whether no subscriber of the topic is backed up; exempt ones do not count. Costs one volatile read while
     * nothing is backed up, else a look at each backed-up subscriber.
     */
    boolean hasCapacity(String topic) {
        if (this.backedUpCount == 0) {
            return true;
        }
        return hasCapacity(topic, backedUpSnapshot());
    }

    /**
     * A stage that completes once the topic {@link #hasCapacity has capacity}: at once if it has, else on the check
     * that finds it.
     */
    CompletionStage<Void> awaitCapacity(String topic) {
        if (hasCapacity(topic)) {
            return NOW;
        }
        CompletableFuture<Void> capacity = new CompletableFuture<>();
        this.capacityWaiters.add(new CapacityWaiter(topic, capacity));
        synchronized (this) {
            watch();
        }
        return capacity.minimalCompletionStage();
    }

    /**
     * The number of publishers waiting for subscribers to drain now (paused, unless their socket cannot pause).
     */
    synchronized int waitingPublishers() {
        return this.waiting.size();
    }

    /** Schedules the check unless one is scheduled or running; call under the monitor. */
    private void watch() {
        if (this.tick == Tick.IDLE) {
            this.tick = Tick.SCHEDULED;
            this.time.schedule(this.options.checkInterval(), this.check);
        }
    }

    private void check() {
        List<Connection> subscribers;
        synchronized (this) {
            this.tick = Tick.RUNNING;
            subscribers = new ArrayList<>(this.backedUp.size() + this.exempt.size());
            subscribers.addAll(this.backedUp.keySet());
            subscribers.addAll(this.exempt);
        }
        Set<Connection> drained = new HashSet<>();
        for (Connection subscriber : subscribers) {
            if (!subscriber.isConnected() || bufferedAmount(subscriber) <= this.options.lowWaterMark()) {
                drained.add(subscriber);
            }
        }
        List<Connection> resumed = new ArrayList<>();
        Connection[] stillBackedUp;
        synchronized (this) {
            release(drained, this.time.nanoTime());
            for (Iterator<Map.Entry<Connection, Set<Connection>>> entries = this.waiting.entrySet().iterator();
                    entries.hasNext();) {
                Map.Entry<Connection, Set<Connection>> entry = entries.next();
                entry.getValue().removeIf((subscriber) -> subscriber.flowMark() != Mark.BACKED_UP);
                if (entry.getValue().isEmpty() || !entry.getKey().isConnected()) {
                    entries.remove();
                    entry.getKey().readingValve().want(false);
                    resumed.add(entry.getKey());
                }
            }
            stillBackedUp = this.backedUp.keySet().toArray(Connection[]::new);
        }
        for (Connection publisher : resumed) {
            publisher.readingValve().apply();
        }
        completeCapacityWaiters(stillBackedUp);
        synchronized (this) {
            this.tick = Tick.IDLE;
            if (!this.backedUp.isEmpty() || !this.exempt.isEmpty() || !this.waiting.isEmpty()
                    || !this.capacityWaiters.isEmpty()) {
                watch();
            }
        }
    }

    /** Clears the drained subscribers and exempts those backed up for too long; call under the monitor. */
    private void release(Set<Connection> drained, long now) {
        long timeout = this.options.drainTimeout().toNanos();
        for (Iterator<Map.Entry<Connection, Long>> entries = this.backedUp.entrySet().iterator(); entries.hasNext();) {
            Map.Entry<Connection, Long> entry = entries.next();
            Connection subscriber = entry.getKey();
            if (drained.contains(subscriber)) {
                entries.remove();
                subscriber.setFlowMark(Mark.CLEAR);
            }
            else if (now - entry.getValue() >= timeout) {
                entries.remove();
                this.exempt.add(subscriber);
                subscriber.setFlowMark(Mark.EXEMPT);
                this.drainLog.warn("{} stayed above the flow control's high-water mark of {} bytes for {}: "
                        + "publishers no longer wait for it, and it is closed with 1013 if it reaches the "
                        + "backpressure threshold", subscriber, this.options.highWaterMark(),
                        this.options.drainTimeout());
            }
        }
        this.backedUpCount = this.backedUp.size();
        for (Iterator<Connection> exempted = this.exempt.iterator(); exempted.hasNext();) {
            Connection subscriber = exempted.next();
            if (drained.contains(subscriber)) {
                exempted.remove();
                subscriber.setFlowMark(Mark.CLEAR);
            }
        }
    }

    private void completeCapacityWaiters(Connection[] backedUpNow) {
        for (Iterator<CapacityWaiter> waiters = this.capacityWaiters.iterator(); waiters.hasNext();) {
            CapacityWaiter waiter = waiters.next();
            if (waiter.capacity().isDone() || hasCapacity(waiter.topic(), backedUpNow)) {
                waiters.remove();
                waiter.capacity().complete(null);
            }
        }
    }

    private static boolean hasCapacity(String topic, Connection[] backedUpNow) {
        for (Connection subscriber : backedUpNow) {
            if (subscriber.flowMark() == Mark.BACKED_UP && subscriber.isSubscribed(topic)) {
                return false;
            }
        }
        return true;
    }

    private synchronized Connection[] backedUpSnapshot() {
        return this.backedUp.keySet().toArray(Connection[]::new);
    }

    private static long bufferedAmount(Connection subscriber) {
        try {
            return subscriber.socket().bufferedAmount();
        }
        catch (RuntimeException ex) {
            logger.debug("Reading the buffered amount of {} failed", subscriber, ex);
            return Long.MAX_VALUE;
        }
    }

    private record CapacityWaiter(String topic, CompletableFuture<Void> capacity) {
    }
}
