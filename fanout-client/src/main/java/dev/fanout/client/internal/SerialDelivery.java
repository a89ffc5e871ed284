package dev.fanout.client.internal;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.jspecify.annotations.Nullable;

/**
 * Runs a client's callbacks one at a time, in the order they were submitted, on an executor: the client submits
 * while holding its guard, so the order of callbacks is the order of the transitions and messages that caused them.
 * Thread-safe. A task that throws is reported to the failure handler and the next task still runs.
 */
final class SerialDelivery {

    private final Executor executor;

    private final RateLimitedLog failureLog;

    private final Object lock = new Object();

    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

    private boolean draining;

    private boolean executorGone;

    SerialDelivery(Executor executor, RateLimitedLog failureLog) {
        this.executor = executor;
        this.failureLog = failureLog;
    }

    void submit(Runnable task) {
        synchronized (this.lock) {
            if (this.executorGone) {
                return;
            }
            this.tasks.add(task);
            if (this.draining) {
                return;
            }
            this.draining = true;
        }
        try {
            this.executor.execute(this::drain);
        }
        catch (RejectedExecutionException ex) {
            synchronized (this.lock) {
                this.executorGone = true;
                this.tasks.clear();
            }
        }
    }

    private void drain() {
        while (true) {
            Runnable task = next();
            if (task == null) {
                return;
            }
            try {
                task.run();
            }
            catch (VirtualMachineError error) {
                throw error;
            }
            catch (Throwable ex) {
                this.failureLog.warn("A fanout client callback failed", ex);
            }
        }
    }

    private @Nullable Runnable next() {
        synchronized (this.lock) {
            Runnable task = this.tasks.poll();
            if (task == null) {
                this.draining = false;
            }
            return task;
        }
    }
}
