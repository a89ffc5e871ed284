package dev.fanout.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.RejectedExecutionException;

/**
 * A {@link Scheduler} for unit tests: nothing runs until the test says so, on the test's thread, and time is virtual,
 * so every interleaving a test sets up happens exactly so, in milliseconds.
 */
final class ManualScheduler implements Scheduler {

    private record Task(long dueNanos, long sequence, Runnable runnable) {
    }

    private final PriorityQueue<Task> tasks = new PriorityQueue<>(
            Comparator.comparingLong(Task::dueNanos).thenComparingLong(Task::sequence));

    private final List<Duration> delays = new ArrayList<>();

    private long nowNanos;

    private long sequence;

    private boolean shutDown;

    @Override
    public synchronized void execute(Runnable task) {
        add(task, Duration.ZERO);
    }

    @Override
    public synchronized void schedule(Runnable task, Duration delay) {
        add(task, delay);
        this.delays.add(delay);
    }

    /** The delays of every {@link #schedule} call so far, in order. */
    synchronized List<Duration> scheduledDelays() {
        return List.copyOf(this.delays);
    }

    /** Runs every task due now, including those they hand over for now; returns how many ran. */
    int runDue() {
        int ran = 0;
        Runnable next;
        while ((next = pollDue()) != null) {
            next.run();
            ran++;
        }
        return ran;
    }

    /** Moves the virtual clock on and runs what is due then. */
    int advance(Duration by) {
        synchronized (this) {
            this.nowNanos += by.toNanos();
        }
        return runDue();
    }

    /** Tasks waiting, due or not. */
    synchronized int pending() {
        return this.tasks.size();
    }

    /** Rejects every task from now on, as a shut-down executor does. */
    synchronized void shutDown() {
        this.shutDown = true;
        this.tasks.clear();
    }

    private synchronized Runnable pollDue() {
        Task head = this.tasks.peek();
        if (head == null || head.dueNanos() > this.nowNanos) {
            return null;
        }
        return this.tasks.poll().runnable();
    }

    private void add(Runnable task, Duration delay) {
        if (this.shutDown) {
            throw new RejectedExecutionException("shut down");
        }
        this.tasks.add(new Task(this.nowNanos + delay.toNanos(), this.sequence++, task));
    }
}
