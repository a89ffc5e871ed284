package dev.fanout.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.fanout.TimeSource;

/**
 * A {@link TimeSource} that stands still until a test {@linkplain #advance advances} it, and then runs the tasks that
 * came due, on the advancing thread, in the order of their due times. Thread-safe.
 */
public final class ManualTimeSource implements TimeSource {

    private final List<Task> tasks = new ArrayList<>();

    private long now = 1_000_000_000L;

    private long sequence;

    @Override
    public synchronized long nanoTime() {
        return this.now;
    }

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable task) {
        Task scheduled = new Task(this.now + delay.toNanos(), this.sequence++, task);
        this.tasks.add(scheduled);
        return () -> {
            synchronized (this) {
                this.tasks.remove(scheduled);
            }
        };
    }

    /**
     * Moves the time forward and runs every task that is due by then.
     *
     * @param duration how far, zero or more
     */
    public void advance(Duration duration) {
        long until;
        synchronized (this) {
            until = this.now + duration.toNanos();
        }
        while (true) {
            Task due;
            synchronized (this) {
                due = this.tasks.stream()
                    .filter((task) -> task.dueAt <= until)
                    .min(Comparator.comparingLong(Task::dueAt).thenComparingLong(Task::sequence))
                    .orElse(null);
                if (due == null) {
                    this.now = until;
                    return;
                }
                this.tasks.remove(due);
                this.now = Math.max(this.now, due.dueAt);
            }
            due.action.run();
        }
    }

    /**
     * The number of tasks scheduled and neither run nor cancelled.
     *
     * @return the count
     */
    public synchronized int pendingTasks() {
        return this.tasks.size();
    }

    private record Task(long dueAt, long sequence, Runnable action) {
    }
}
