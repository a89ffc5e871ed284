package dev.fanout.spring.shutdown;

import java.time.Duration;
import java.util.PriorityQueue;

/**
 * A {@link DrainScheduler} on a virtual clock: {@link #runUntilIdle()} runs the scheduled tasks in time order on the
 * calling thread, moving the clock to each task's time, so a drain of any length runs in milliseconds.
 */
final class VirtualDrainScheduler implements DrainScheduler {

    private final PriorityQueue<Scheduled> tasks = new PriorityQueue<>();

    private long now;

    private long sequence;

    private boolean closed;

    @Override
    public long nanoTime() {
        return this.now;
    }

    @Override
    public void schedule(Duration delay, Runnable task) {
        this.tasks.add(new Scheduled(this.now + delay.toNanos(), this.sequence++, task));
    }

    @Override
    public void close() {
        this.closed = true;
        this.tasks.clear();
    }

    boolean isClosed() {
        return this.closed;
    }

    /** Runs tasks until none is left, or fails after a bound of virtual time so a drain that never ends fails. */
    void runUntilIdle(Duration limit) {
        while (!this.tasks.isEmpty()) {
            Scheduled next = this.tasks.poll();
            if (next.atNanos() > limit.toNanos()) {
                throw new AssertionError("Still scheduling tasks after " + limit);
            }
            this.now = next.atNanos();
            next.task().run();
        }
    }

    private record Scheduled(long atNanos, long sequence, Runnable task) implements Comparable<Scheduled> {

        @Override
        public int compareTo(Scheduled other) {
            int byTime = Long.compare(this.atNanos, other.atNanos);
            return (byTime != 0) ? byTime : Long.compare(this.sequence, other.sequence);
        }
    }
}
