package dev.fanout;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The hub's clock and timer: what its inbound rate limit reads and what its authorization timeout is scheduled on.
 * Production code keeps {@link #system()}; tests pass a fake one that they advance by hand, so time-dependent
 * behaviour runs deterministically and fast. Implementations must be thread-safe.
 */
public interface TimeSource {

    /**
     * A monotonic time in nanoseconds, as {@link System#nanoTime()}: only differences mean something.
     *
     * @return the time now
     */
    long nanoTime();

    /**
     * Runs a task once, after a delay, on some thread of the time source. The task must not block.
     *
     * @param delay the delay, positive
     * @param task the task
     * @return a handle that cancels the task if it has not run yet
     */
    Cancellable schedule(Duration delay, Runnable task);

    /**
     * The system's time source: {@link System#nanoTime()}, and the JDK's shared delayer thread (that of
     * {@link CompletableFuture#delayedExecutor}), so a hub starts no thread of its own. A cancelled task releases what
     * it references at once; its small handle stays queued until its time.
     *
     * @return the system time source
     */
    static TimeSource system() {
        return SystemTimeSource.INSTANCE;
    }

    /**
     * Cancels a scheduled task. Thread-safe and idempotent.
     */
    @FunctionalInterface
    interface Cancellable {

        /** Cancels the task if it has not run yet; does nothing otherwise. */
        void cancel();
    }
}

/**
 * {@link TimeSource#system()}.
 */
final class SystemTimeSource implements TimeSource {

    static final SystemTimeSource INSTANCE = new SystemTimeSource();

    private SystemTimeSource() {
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        Objects.requireNonNull(task, "task");
        AtomicReference<Runnable> pending = new AtomicReference<>(task);
        CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS).execute(() -> {
            Runnable due = pending.getAndSet(null);
            if (due != null) {
                due.run();
            }
        });
        return () -> pending.set(null);
    }

    @Override
    public String toString() {
        return "TimeSource.system()";
    }
}
