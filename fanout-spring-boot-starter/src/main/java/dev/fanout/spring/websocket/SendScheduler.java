package dev.fanout.spring.websocket;

import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link SendLoop}s that have work, for every connection of the hub: one shared ready queue, drained by as
 * few threads as keep it moving. A publisher that makes an idle loop ready only appends it to the queue; it starts a
 * drainer only if none is awake, so a dispatch to a thousand idle spokes costs a thread wake-up or two, not a
 * thousand, and each loop's run writes its backlog as one batch (up to its quantum, then it queues again). A drainer
 * that finds more loops waiting behind the one it took starts a helper, up to one awake drainer per core, so a long
 * ready queue is written in parallel.
 *
 * <p><b>Stuck drainers.</b> A drainer may block in a write (a flush or ping to a peer whose TCP window is full).
 * {@link #releaseStuck(long)}, called about every millisecond by a monitor while any drainer exists, gives up on a
 * drainer that the {@link StuckDrainerRule} calls stuck: inside one blocking write for longer than the limit and
 * waiting there, not merely descheduled (on a busy machine a drainer that lost its core mid-write would otherwise be
 * replaced, adding threads that compete for the same cores), or inside one write for much longer in any state. A
 * drainer given up on no longer counts as awake, so the next schedule (or the monitor itself, when loops are
 * waiting) starts another. The stuck one finishes its loop and ends. So a peer that stopped reading holds at most one
 * thread, never the other spokes' sends.
 *
 * <p><b>The ready queue</b> is a {@link ConcurrentLinkedQueue}. A drainer asks whether more loops wait behind the
 * one it took (to start a helper) only while fewer drainers than allowed are awake: once they all are, the question
 * could change nothing, and asking it after every loop read the queue's shared head and tail while the publisher
 * appended (docs/benchmarks.md, {@code HandOffBenchmark}). Loops are run in the order they became ready.
 *
 * <p>Thread-safe. Happens-before: a loop appended by {@link #schedule} is visible to the drainer that polls it (the
 * queue's own guarantee); {@link #awake} is only changed with atomic operations, and a drainer that finds the queue
 * empty re-checks it after giving up its place, so a loop appended meanwhile is never left without a drainer.
 */
final class SendScheduler implements SendLoop.Scheduler {

    private static final Logger logger = LoggerFactory.getLogger(SendScheduler.class);

    private static final long RELEASED = -1;

    private final Queue<SendLoop> ready = new ConcurrentLinkedQueue<>();

    /** Drainers that poll the queue: running and not released as stuck. */
    private final AtomicInteger awake = new AtomicInteger();

    private final Set<Drainer> drainers = ConcurrentHashMap.newKeySet();

    private final Executor executor;

    private final LongSupplier clock;

    private final StuckDrainerRule stuckRule;

    private final int maxAwake;

    private final Runnable onDrainerStart;

    /**
     * Creates the scheduler.
     *
     * @param executor starts drainers; must start each on a thread of its own (an elastic pool), as a stuck drainer
     *     holds its thread
     * @param clock the time in nanoseconds
     * @param stuckRule when a drainer inside one blocking write is given up on and another takes over
     * @param maxAwake how many drainers may poll the queue at once (the number of cores), at least 1
     * @param onDrainerStart called whenever a drainer is started (wakes the monitor)
     */
    SendScheduler(Executor executor, LongSupplier clock, StuckDrainerRule stuckRule, int maxAwake,
            Runnable onDrainerStart) {
        this.executor = executor;
        this.clock = clock;
        this.stuckRule = stuckRule;
        this.maxAwake = Math.max(1, maxAwake);
        this.onDrainerStart = onDrainerStart;
    }

    @Override
    public void schedule(SendLoop loop) {
        this.ready.offer(loop);
        ensureAwakeDrainer();
    }

    /**
     * Releases the drainers that the {@link StuckDrainerRule} calls stuck, and starts another drainer if loops are
     * waiting and none is awake.
     *
     * @param now the clock's time
     * @return whether any drainer exists (the monitor keeps looking while one does)
     */
    boolean releaseStuck(long now) {
        for (Drainer drainer : this.drainers) {
            long since = drainer.blockedSince.get();
            Thread thread = drainer.thread;
            if (since > 0 && thread != null && this.stuckRule.isStuck(thread, now - since)
                    && drainer.blockedSince.compareAndSet(since, RELEASED)) {
                this.awake.decrementAndGet();
                logger.debug("A send drainer has been inside one write for {} µs ({}); starting another",
                        (now - since) / 1000, thread.getState());
            }
        }
        if (!this.ready.isEmpty()) {
            ensureAwakeDrainer();
        }
        return !this.drainers.isEmpty();
    }

    /**
     * The drainers that exist now, stuck ones included.
     *
     * @return the count
     */
    int drainerCount() {
        return this.drainers.size();
    }

    private void ensureAwakeDrainer() {
        if (this.awake.get() == 0 && this.awake.compareAndSet(0, 1)) {
            startDrainer();
        }
    }

    /** Called by a drainer that saw more loops waiting: adds a drainer unless as many as allowed are awake. */
    private void addHelper() {
        int current = this.awake.get();
        if (current < this.maxAwake && this.awake.compareAndSet(current, current + 1)) {
            startDrainer();
        }
    }

    private void startDrainer() {
        Drainer drainer = new Drainer();
        this.drainers.add(drainer);
        try {
            this.executor.execute(drainer);
        }
        catch (RejectedExecutionException ex) {
            this.drainers.remove(drainer);
            this.awake.decrementAndGet();
            logger.debug("Not starting a send drainer: shutting down");
            return;
        }
        this.onDrainerStart.run();
    }

    /**
     * One thread's share of the ready queue.
     */
    private final class Drainer implements Runnable, BlockingWrites {

        /** {@code 0} outside blocking writes, the clock's time inside one, {@link #RELEASED} once given up on. */
        private final AtomicLong blockedSince = new AtomicLong();

        /**
         * The thread running this drainer. Written before its first {@link #begin()}, whose volatile write of
         * {@link #blockedSince} the monitor reads before this field, so the monitor sees it whenever it matters.
         */
        private @Nullable Thread thread;

        private boolean released;

        @Override
        public void run() {
            this.thread = Thread.currentThread();
            try {
                while (!this.released) {
                    SendLoop loop = SendScheduler.this.ready.poll();
                    if (loop != null) {
                        if (SendScheduler.this.awake.get() < SendScheduler.this.maxAwake
                                && !SendScheduler.this.ready.isEmpty()) {
                            addHelper();
                        }
                        runSafely(loop);
                    }
                    else if (!stayAwake()) {
                        return;
                    }
                }
            }
            finally {
                SendScheduler.this.drainers.remove(this);
            }
        }

        /** Gives up this drainer's place, then takes it back if a loop was appended meanwhile. */
        private boolean stayAwake() {
            SendScheduler.this.awake.decrementAndGet();
            return !SendScheduler.this.ready.isEmpty() && SendScheduler.this.awake.compareAndSet(0, 1);
        }

        private void runSafely(SendLoop loop) {
            try {
                loop.run(this);
            }
            catch (RuntimeException ex) {
                logger.warn("Running {} failed", loop, ex);
            }
        }

        @Override
        public void begin() {
            // Once released, a drainer stays released: it must not be counted out of awake a second time. The
            // monitor only changes a positive value, so reading and then setting from 0 races with nothing.
            if (this.blockedSince.get() != RELEASED) {
                long now = SendScheduler.this.clock.getAsLong();
                this.blockedSince.set((now > 0) ? now : 1);
            }
        }

        @Override
        public void end() {
            long since = this.blockedSince.get();
            if (since == RELEASED || !this.blockedSince.compareAndSet(since, 0)) {
                this.released = true;
            }
        }
    }
}
