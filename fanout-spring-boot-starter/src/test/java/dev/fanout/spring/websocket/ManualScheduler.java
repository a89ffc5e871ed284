package dev.fanout.spring.websocket;

import java.util.ArrayDeque;
import java.util.Queue;

/**
 * A {@link SendLoop.Scheduler} for tests: remembers the loops scheduled, and runs them only when the test says so,
 * on the test's thread.
 */
final class ManualScheduler implements SendLoop.Scheduler {

    private final Queue<SendLoop> ready = new ArrayDeque<>();

    private int scheduled;

    @Override
    public synchronized void schedule(SendLoop loop) {
        this.ready.add(loop);
        this.scheduled++;
    }

    /** How many times a loop was scheduled so far. */
    synchronized int scheduledCount() {
        return this.scheduled;
    }

    synchronized boolean isEmpty() {
        return this.ready.isEmpty();
    }

    /** Runs the scheduled loops, and those they schedule, until none is left. */
    void runAll() {
        while (runNext()) {
            // each call runs one loop
        }
    }

    /**
     * Runs the loop scheduled first, if any.
     *
     * @return whether one ran
     */
    boolean runNext() {
        SendLoop loop;
        synchronized (this) {
            loop = this.ready.poll();
        }
        if (loop == null) {
            return false;
        }
        loop.run(BlockingWrites.NONE);
        return true;
    }
}
