package dev.fanout.spring.websocket;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Every thread the starter runs besides the container's, created and stopped here and nowhere else: the watchdog
 * (one scheduled thread), the send drainers of the {@link SendScheduler} (an elastic pool: a drainer stuck in a
 * write holds its own thread, and idle ones end after 30 s), the drainers' monitor (one thread, parked while no
 * drainer exists), and a small I/O pool that closes connections whose write is stuck. All are daemon threads named
 * {@code fanout-*} ({@link DaemonThreadFactory}), and each logs an uncaught exception at WARN instead of dying
 * silently.
 *
 * <p>Thread-safe. {@link #close()} stops them all; drainers and I/O tasks already running finish what they do.
 */
final class SocketThreads implements AutoCloseable {

    private static final int IO_THREADS = 4;

    /** How long a drainer may wait inside one blocking write before another takes over the ready queue. */
    static final Duration DRAINER_STUCK_AFTER = Duration.ofMillis(2);

    /** How long a drainer may be inside one blocking write, waiting or not, before another takes over. */
    static final Duration DRAINER_STUCK_AFTER_RUNNING = Duration.ofMillis(50);

    /** How long {@link #close()} waits for the close frames still being written. */
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(2);

    private static final long MONITOR_PERIOD_NANOS = Duration.ofMillis(1).toNanos();

    private final ScheduledThreadPoolExecutor watchdog;

    private final ThreadPoolExecutor io;

    private final ThreadPoolExecutor drainers;

    private final Thread monitor;

    private final SendScheduler scheduler;

    private final LongSupplier clock;

    private volatile boolean closed;

    /**
     * Starts the watchdog's and the monitor's threads; the pools start theirs on demand.
     *
     * @param clock the time in nanoseconds
     */
    SocketThreads(LongSupplier clock) {
        this.clock = clock;
        this.watchdog = new ScheduledThreadPoolExecutor(1, threads("fanout-watchdog"));
        this.io = new ThreadPoolExecutor(IO_THREADS, IO_THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                threads("fanout-io"));
        this.io.allowCoreThreadTimeOut(true);
        this.drainers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                threads("fanout-send"));
        this.monitor = threads("fanout-send-monitor").newThread(this::monitorDrainers);
        StuckDrainerRule stuckRule = new StuckDrainerRule(DRAINER_STUCK_AFTER.toNanos(),
                DRAINER_STUCK_AFTER_RUNNING.toNanos(), DrainerProbe.THREAD_STATE);
        this.scheduler = new SendScheduler(this.drainers, clock, stuckRule,
                Runtime.getRuntime().availableProcessors(), () -> LockSupport.unpark(this.monitor));
        this.monitor.start();
    }

    SendScheduler scheduler() {
        return this.scheduler;
    }

    Executor io() {
        return this.io;
    }

    ScheduledExecutorService watchdog() {
        return this.watchdog;
    }

    private void monitorDrainers() {
        while (!this.closed) {
            if (this.scheduler.releaseStuck(this.clock.getAsLong())) {
                LockSupport.parkNanos(MONITOR_PERIOD_NANOS);
            }
            else {
                LockSupport.park(this);
            }
        }
    }

    @Override
    public void close() {
        this.closed = true;
        LockSupport.unpark(this.monitor);
        this.watchdog.shutdownNow();
        this.drainers.shutdown();
        this.io.shutdown();
        long deadline = System.nanoTime() + SHUTDOWN_GRACE.toNanos();
        try {
            for (ThreadPoolExecutor pool : new ThreadPoolExecutor[] { this.drainers, this.io }) {
                if (!pool.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    pool.shutdownNow();
                }
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            this.drainers.shutdownNow();
            this.io.shutdownNow();
        }
    }

    private static ThreadFactory threads(String prefix) {
        return new DaemonThreadFactory(prefix);
    }
}
