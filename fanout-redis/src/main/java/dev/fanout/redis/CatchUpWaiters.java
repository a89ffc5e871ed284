package dev.fanout.redis;

import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;

/**
 * The hub's reads of one topic that wait for this node's live delivery to reach the position they read
 * ({@link GapRepair#observed}): their track decides under its monitor which are done, and they are completed outside
 * it, by {@link #completeReady}, so that what the hub does next never runs under the track's monitor.
 *
 * <p>Thread-safe: both queues are concurrent, since a track's release drains them without its monitor; each waiter
 * is taken from the waiting queue once, by whichever side polls or removes it first.
 */
final class CatchUpWaiters {

    /**
     * A read that waits.
     *
     * @param epoch the epoch it read
     * @param latest the latest offset it read
     * @param caughtUp completes once this node delivered it
     */
    record Waiter(String epoch, long latest, CompletableFuture<Void> caughtUp) {
    }

    private final Queue<Waiter> waiting = new ConcurrentLinkedQueue<>();

    private final Queue<CompletableFuture<Void>> ready = new ConcurrentLinkedQueue<>();

    /** A read that waits; reads given up meanwhile (timed out) are dropped first. */
    void await(String epoch, long latest, CompletableFuture<Void> caughtUp) {
        this.waiting.removeIf((waiter) -> waiter.caughtUp().isDone());
        this.waiting.add(new Waiter(epoch, latest, caughtUp));
    }

    /** A read with nothing to wait for. */
    void ready(CompletableFuture<Void> caughtUp) {
        this.ready.add(caughtUp);
    }

    boolean isEmpty() {
        return this.waiting.isEmpty();
    }

    /** The waiting reads that {@code done} accepts are ready. */
    void settleWhere(Predicate<Waiter> done) {
        for (Iterator<Waiter> it = this.waiting.iterator(); it.hasNext();) {
            Waiter waiter = it.next();
            if (done.test(waiter) && this.waiting.remove(waiter)) {
                this.ready.add(waiter.caughtUp());
            }
        }
    }

    /** Every waiting read is ready. */
    void settleAll() {
        Waiter waiter;
        while ((waiter = this.waiting.poll()) != null) {
            this.ready.add(waiter.caughtUp());
        }
    }

    /** Outside the track's monitor: completes the ready reads. */
    void completeReady() {
        CompletableFuture<Void> done;
        while ((done = this.ready.poll()) != null) {
            done.complete(null);
        }
    }
}
