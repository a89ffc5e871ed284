package dev.fanout.spring.websocket;

/**
 * The liveness of one connection as a pure function of time: given when the peer was last heard from, when it was
 * last pinged and since when a write has been in flight, {@link #verdict} says whether the connection is healthy,
 * due a ping, silent for too long (dropped) or stalled (a slow consumer). No clock inside: the caller passes the
 * time, so tests choose it.
 *
 * <p>While reading is paused (flow control) the peer cannot be heard from, not even its pongs, so a paused
 * connection is never judged silent, and its silence is counted again from when reading resumes.
 *
 * <p>Thread-safe: the timestamps and the pause flag are volatile; each timestamp is written by one thread at a time
 * (the container's inbound thread or the resuming thread, the watchdog), and a verdict reads each once.
 */
final class Liveness {

    /** What the watchdog should do about a connection. */
    enum Verdict {

        /** Nothing. */
        HEALTHY,

        /** Send a ping: the heartbeat interval passed since the last one. */
        PING_DUE,

        /** Close it with 1001: nothing, not even a pong, arrived for the heartbeat timeout. */
        SILENT,

        /** Close it with 1013: one write has been in flight for longer than the send-stall timeout. */
        STALLED
    }

    private final long stallNanos;

    private final long heartbeatIntervalNanos;

    private final long heartbeatTimeoutNanos;

    private volatile long lastInbound;

    private volatile long lastPing;

    private volatile boolean readingPaused;

    /**
     * Starts the clock of a connection that just opened.
     *
     * @param settings the timers
     * @param now the time in nanoseconds
     */
    Liveness(SocketSettings settings, long now) {
        this.stallNanos = settings.sendStallTimeout().toNanos();
        this.heartbeatIntervalNanos = settings.heartbeatInterval().toNanos();
        this.heartbeatTimeoutNanos = settings.heartbeatTimeout().toNanos();
        this.lastInbound = now;
        this.lastPing = now;
    }

    /** Something (a message part or a pong) arrived at {@code now}. */
    void heardFrom(long now) {
        this.lastInbound = now;
    }

    /** Reading was paused: the peer cannot be heard from until {@link #readingResumed}. */
    void readingPaused() {
        this.readingPaused = true;
    }

    /** Reading resumed at {@code now}: silence counts from here. */
    void readingResumed(long now) {
        this.lastInbound = now;
        this.readingPaused = false;
    }

    /** A ping was requested at {@code now}. */
    void pinged(long now) {
        this.lastPing = now;
    }

    /**
     * The verdict at {@code now}: a stall first, then silence (never while reading is paused), then a due ping.
     *
     * @param now the time in nanoseconds
     * @param writingSince when the write in flight started, {@code 0} if none is
     * @return the verdict
     */
    Verdict verdict(long now, long writingSince) {
        if (writingSince != 0 && now - writingSince > this.stallNanos) {
            return Verdict.STALLED;
        }
        if (!this.readingPaused && now - this.lastInbound > this.heartbeatTimeoutNanos) {
            return Verdict.SILENT;
        }
        if (now - this.lastPing >= this.heartbeatIntervalNanos) {
            return Verdict.PING_DUE;
        }
        return Verdict.HEALTHY;
    }

    /**
     * Whether a write in flight since {@code writingSince} is stalled at {@code now}.
     *
     * @param now the time in nanoseconds
     * @param writingSince when the write started, {@code 0} if none is in flight
     * @return whether it is stalled
     */
    boolean stalled(long now, long writingSince) {
        return writingSince != 0 && now - writingSince > this.stallNanos;
    }
}
