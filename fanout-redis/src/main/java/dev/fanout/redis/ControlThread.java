package dev.fanout.redis;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's one control thread ({@code fanout-redis-control}, a daemon): it owns the connections and the
 * subscription bookkeeping, sends every subscription command, and runs the reconnects and the delayed unsubscribe
 * checks.
 *
 * <p>Thread-safe: tasks may be handed over, and the thread shut down, from any thread.
 */
final class ControlThread implements Scheduler {

    private static final Logger logger = LoggerFactory.getLogger(RedisBroker.class);

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
        Thread thread = new Thread(task, "fanout-redis-control");
        thread.setDaemon(true);
        return thread;
    });

    @Override
    public void execute(Runnable task) {
        this.executor.execute(task);
    }

    @Override
    public void schedule(Runnable task, Duration delay) {
        this.executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Runs the task on the control thread and waits for it, at most the timeout; a failure, a timeout or a rejection
     * is logged at DEBUG, not thrown.
     */
    void runAndWait(Runnable task, Duration timeout) {
        try {
            this.executor.submit(task).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (ExecutionException | TimeoutException | RejectedExecutionException ex) {
            logger.debug("A task on the control thread did not finish cleanly", ex);
        }
    }

    /** Cancels the scheduled tasks and interrupts the running one; later tasks are rejected. */
    void shutdownNow() {
        this.executor.shutdownNow();
    }

    /** After {@link #shutdownNow}: waits for the thread to end, at most the timeout. */
    void awaitTermination(Duration timeout) {
        try {
            this.executor.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
