package dev.fanout.client.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * A {@link Scheduler} and delivery {@link Executor} whose time moves only when the test says: timers run in
 * {@link #advance}, delivery tasks in {@link #runDeliveries()}. Everything runs on the test's thread.
 */
final class ManualScheduler implements Scheduler, Executor {

    private final List<Timer> timers = new ArrayList<>();

    private final ArrayDeque<Runnable> deliveries = new ArrayDeque<>();

    private long now = 1_000_000_000L;

    private long sequence;

    private boolean shutdown;

    @Override
    public long nanoTime() {
        return this.now;
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        Timer timer = new Timer(this.now + delay.toNanos(), this.sequence++, task);
        this.timers.add(timer);
        return () -> this.timers.remove(timer);
    }

    @Override
    public void shutdown() {
        this.shutdown = true;
        this.timers.clear();
    }

    @Override
    public void execute(Runnable task) {
        this.deliveries.add(task);
    }

    /** Runs the delivery tasks queued so far and those they queue. */
    void runDeliveries() {
        Runnable task;
        while ((task = this.deliveries.poll()) != null) {
            task.run();
        }
    }

    /** Moves time forward, running every timer that falls due (and the deliveries they cause) in time order. */
    void advance(Duration duration) {
        long until = this.now + duration.toNanos();
        runDeliveries();
        while (true) {
            Timer next = this.timers.stream()
                .filter((timer) -> timer.dueAt <= until)
                .min(Comparator.comparingLong(Timer::dueAt).thenComparingLong(Timer::sequence))
                .orElse(null);
            if (next == null) {
                break;
            }
            this.timers.remove(next);
            this.now = next.dueAt;
            next.task.run();
            runDeliveries();
        }
        this.now = until;
    }

    int pendingTimers() {
        return this.timers.size();
    }

    boolean isShutdown() {
        return this.shutdown;
    }

    private record Timer(long dueAt, long sequence, Runnable task) {
    }
}
