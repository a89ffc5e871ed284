package dev.fanout.spring.websocket;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.fanout.CloseCodes;

/**
 * The watchdog of the open connections: a few times per {@link SocketSettings#sendStallTimeout()} it asks every
 * {@link WebSocketSessionRawSocket} for its {@link Liveness} verdict, so that a stalled spoke is evicted with 1013, a
 * silent one closed with 1001 and a quiet one pinged, even if nothing is ever sent to it. It also owns the
 * {@link SocketThreads} and hands the sockets their {@link SocketRuntime}. An internal part of the starter, not an
 * extension point.
 *
 * <p>Thread-safe. {@link #close()} closes every socket still open with 1001 and stops the threads.
 */
public final class SessionSupervisor implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(SessionSupervisor.class);

    private final Set<WebSocketSessionRawSocket> sockets = ConcurrentHashMap.newKeySet();

    private final SocketSettings settings;

    private final SocketThreads threads;

    private final SocketRuntime runtime;

    /**
     * Starts the watchdog and the starter's threads.
     *
     * @param settings the limits and timers; the watchdog looks at each socket every quarter of the shorter of the
     *     send-stall timeout and the heartbeat interval (at least every 10 ms, at most every second)
     */
    public SessionSupervisor(SocketSettings settings) {
        this(settings, System::nanoTime);
    }

    SessionSupervisor(SocketSettings settings, LongSupplier clock) {
        this.settings = settings;
        this.threads = new SocketThreads(clock);
        this.runtime = new SocketRuntime(settings, this.threads.scheduler(), this.threads.io(), clock);
        long period = tickPeriod(settings).toNanos();
        this.threads.watchdog()
            .scheduleWithFixedDelay(() -> superviseAll(clock.getAsLong()), period, period, TimeUnit.NANOSECONDS);
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

    /**
     * The limits and timers of every connection.
     *
     * @return the settings
     */
    public SocketSettings settings() {
        return this.settings;
    }

    SocketRuntime runtime() {
        return this.runtime;
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

    void superviseAll(long now) {
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
        for (WebSocketSessionRawSocket socket : this.sockets) {
            socket.close(CloseCodes.GOING_AWAY, "server shutting down");
        }
        this.threads.close();
    }
}
