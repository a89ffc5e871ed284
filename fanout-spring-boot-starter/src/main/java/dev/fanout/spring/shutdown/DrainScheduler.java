package dev.fanout.spring.shutdown;

import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The only source of time and threads of a {@link SpokeDrain}, so that tests can run a drain on a virtual clock.
 * Tasks run one at a time, never concurrently.
 */
interface DrainScheduler extends AutoCloseable {

    /** The current time of this scheduler's clock, in nanoseconds from an arbitrary origin. */
    long nanoTime();

    /** Runs the task once, after the delay. */
    void schedule(Duration delay, Runnable task);

    /** Releases the scheduler's thread; tasks not yet run are dropped. */
    @Override
    void close();

    /** A scheduler on one daemon thread of its own and the system's monotonic clock. */
    static DrainScheduler onOwnThread() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (runnable) -> {
            Thread thread = new Thread(runnable, "fanout-drain");
            thread.setDaemon(true);
            return thread;
        });
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return new DrainScheduler() {

            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void schedule(Duration delay, Runnable task) {
                executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            }

            @Override
            public void close() {
                executor.shutdown();
            }
        };
    }
}
