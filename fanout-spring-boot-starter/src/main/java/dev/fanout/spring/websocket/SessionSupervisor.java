package dev.fanout.spring.websocket;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.fanout.CloseCodes;

/**
 * Watches every open {@link WebSocketSessionRawSocket} and owns the threads the sockets need besides the
 * container's: a single watchdog thread looks at each socket a few times per
 * {@link SocketSettings#sendStallTimeout()} (to evict stalled spokes and send pings), a small I/O pool performs closes
 * and pings, which may block for a bounded time, a sender pool (one thread per core) starts the asynchronous send
 * of a socket that was idle, which never blocks, and an elastic flush pool writes out the batches of messages that
 * sockets collect while they have a backlog. A flush blocks until the batch is written, so each runs on a thread of
 * its own: a spoke that stopped reading holds one flush thread (for at most twice the stall timeout), never a thread
 * another spoke waits for. So neither publishers nor the container's threads wait for a slow network.
 *
 * <p>Thread-safe. {@link #close()} closes every socket still open with 1001 and stops the thread pools.
 */
public final class SessionSupervisor implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(SessionSupervisor.class);

    private static final int IO_THREADS = 4;

    private final Set<WebSocketSessionRawSocket> sockets = ConcurrentHashMap.newKeySet();

    private final ScheduledExecutorService watchdog;

    private final ThreadPoolExecutor io;

    private final ThreadPoolExecutor sender;

    private final ThreadPoolExecutor flusher;

    private final SocketThreads threads;

    /**
     * Starts the watchdog.
     *
     * @param settings the limits and timers; the watchdog looks at each socket every quarter of the shorter of the
     *     send-stall timeout and the heartbeat interval (at least every 10 ms, at most every second)
     */
    public SessionSupervisor(SocketSettings settings) {
        this.watchdog = new ScheduledThreadPoolExecutor(1, daemonThreads("fanout-watchdog"));
        this.io = new ThreadPoolExecutor(IO_THREADS, IO_THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                daemonThreads("fanout-io"));
        this.io.allowCoreThreadTimeOut(true);
        int senderThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
        this.sender = new ThreadPoolExecutor(senderThreads, senderThreads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), daemonThreads("fanout-send"));
        this.sender.allowCoreThreadTimeOut(true);
        this.flusher = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                daemonThreads("fanout-flush"));
        this.threads = new SocketThreads(this.io, this.sender, this.flusher);
        long period = tickPeriod(settings).toNanos();
        this.watchdog.scheduleWithFixedDelay(this::superviseAll, period, period, TimeUnit.NANOSECONDS);
    }

    static Duration tickPeriod(SocketSettings settings) {
        Duration shorter = (settings.sendStallTimeout().compareTo(settings.heartbeatInterval()) < 0)
                ? settings.sendStallTimeout() : settings.heartbeatInterval();
        Duration quarter = shorter.dividedBy(4);
        if (quarter.compareTo(Duration.ofMillis(10)) < 0) {
            return Duration.ofMillis(10);
        }
        return (quarter.compareTo(Duration.ofSeconds(1)) > 0) ? Duration.ofSeconds(1) : quarter;
    }

    SocketThreads threads() {
        return this.threads;
    }

    void register(WebSocketSessionRawSocket socket) {
        this.sockets.add(socket);
    }

    void unregister(WebSocketSessionRawSocket socket) {
        this.sockets.remove(socket);
    }

    /**
     * The number of sockets watched now.
     *
     * @return the count of open sockets
     */
    public int socketCount() {
        return this.sockets.size();
    }

    private void superviseAll() {
        long now = System.nanoTime();
        for (WebSocketSessionRawSocket socket : this.sockets) {
            try {
                socket.supervise(now);
            }
            catch (RuntimeException ex) {
                logger.warn("Supervising {} failed", socket, ex);
            }
        }
    }

    @Override
    public void close() {
        this.watchdog.shutdownNow();
        for (WebSocketSessionRawSocket socket : this.sockets) {
            socket.close(CloseCodes.GOING_AWAY, "server shutting down");
        }
        this.sender.shutdown();
        this.flusher.shutdown();
        this.io.shutdown();
        try {
            if (!this.io.awaitTermination(2, TimeUnit.SECONDS)) {
                this.io.shutdownNow();
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            this.io.shutdownNow();
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        return new DaemonThreadFactory(prefix);
    }
}
