package dev.fanout.client.internal;

import java.time.Duration;

/**
 * The clock and timer of a client: reconnect delays, acknowledgement timeouts and connection age come from here, so
 * that tests can drive time by hand. Implementations are thread-safe.
 */
interface Scheduler {

    /**
     * A monotonic time in nanoseconds, as {@link System#nanoTime()}.
     */
    long nanoTime();

    /**
     * Runs a task once after a delay, on a thread of the scheduler.
     *
     * @return a handle that cancels the task if it has not started
     */
    Cancellable schedule(Duration delay, Runnable task);

    /** Stops the timer; tasks not yet run are dropped. */
    void shutdown();

    /**
     * A scheduled task that may still be cancelled.
     */
    @FunctionalInterface
    interface Cancellable {

        /** A handle for nothing. */
        Cancellable NONE = () -> {
        };

        /** Cancels the task if it has not started; does nothing otherwise. */
        void cancel();
    }
}
