package dev.fanout.redis;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs tasks one at a time, in order, now ({@link #execute}) or after a delay: the broker's control thread
 * ({@link ControlThread}), or a fake with a virtual clock in unit tests. Whatever runs on it needs no further lock
 * against the other tasks.
 *
 * <p>Thread-safe: tasks may be handed over from any thread.
 */
interface Scheduler extends Executor {

    /**
     * Runs the task once the delay has passed.
     *
     * @param task the task
     * @param delay how long to wait first
     * @throws RejectedExecutionException once the scheduler is shut down
     */
    void schedule(Runnable task, Duration delay);
}
