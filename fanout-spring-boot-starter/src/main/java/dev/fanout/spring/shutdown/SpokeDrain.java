package dev.fanout.spring.shutdown;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.SmartLifecycle;

import dev.fanout.CloseCodes;
import dev.fanout.RawSocket;
import dev.fanout.SpokeEventTarget;
import dev.fanout.WebSocketServerEventTarget;

/**
 * Drains the hub when the application shuts down, so that a deploy does not become a reconnect storm: from the
 * moment it stops, {@link #isAcceptingSpokes()} turns {@code false} (the handshake is refused with 503), and the spokes
 * connected then are closed with {@link CloseCodes#GOING_AWAY 1001} in even slices spread over the drain period. Each
 * spoke is first removed from the hub, so nothing more is queued for it, and closed once what was already queued for
 * it is written (or after the flush timeout): a close never drops an event that was dispatched to it.
 *
 * <p>A {@link SmartLifecycle} in the phase just above Boot's {@link WebServerGracefulShutdownLifecycle}: it stops
 * after the application's own lifecycle beans (in the default phase) and before the web server's graceful shutdown
 * and stop, so the server still runs while the spokes are closed. Its asynchronous {@link #stop(Runnable)} finishes
 * when the last spoke is closed; keep the drain period plus the flush timeout below
 * {@code spring.lifecycle.timeout-per-shutdown-phase}.
 *
 * <p>Thread-safe. A drain runs on a thread of its own; its slices are timed from the start of the drain, so a slow
 * machine closes later slices late, never early.
 */
public final class SpokeDrain implements SmartLifecycle {

    /** The lifecycle phase: stopped just before the web server's graceful shutdown. */
    public static final int PHASE = WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE + 1;

    /** The reason of the 1001 close frames. */
    public static final String CLOSE_REASON = "server shutting down";

    /** The shortest time between two slices: spokes closed less than this apart are closed together. */
    static final Duration MIN_SLICE = Duration.ofMillis(50);

    /** How often a drain looks for slices that are due and for spokes whose queue is written. */
    static final Duration POLL = Duration.ofMillis(10);

    private static final Logger logger = LoggerFactory.getLogger(SpokeDrain.class);

    private final WebSocketServerEventTarget hub;

    private final Duration drainPeriod;

    private final Duration flushTimeout;

    private final Supplier<DrainScheduler> schedulers;

    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);

    private final LongAdder closed = new LongAdder();

    /**
     * Creates the drain.
     *
     * @param hub the hub whose spokes to drain
     * @param drainPeriod the time to spread the closes over, zero or more
     * @param flushTimeout the longest a removed spoke may take to write what was queued for it before it is closed
     *     anyway
     * @throws IllegalArgumentException if a duration is negative
     */
    public SpokeDrain(WebSocketServerEventTarget hub, Duration drainPeriod, Duration flushTimeout) {
        this(hub, drainPeriod, flushTimeout, DrainScheduler::onOwnThread);
    }

    SpokeDrain(WebSocketServerEventTarget hub, Duration drainPeriod, Duration flushTimeout,
            Supplier<DrainScheduler> schedulers) {
        this.hub = Objects.requireNonNull(hub, "hub");
        this.drainPeriod = requireNotNegative("drainPeriod", drainPeriod);
        this.flushTimeout = requireNotNegative("flushTimeout", flushTimeout);
        this.schedulers = schedulers;
    }

    /**
     * Whether new spokes may connect: {@code true} until the drain starts.
     *
     * @return {@code false} from the start of the drain
     */
    public boolean isAcceptingSpokes() {
        State current = this.state.get();
        return current == State.NEW || current == State.RUNNING;
    }

    /**
     * The spokes this drain closed with 1001 so far (spokes that closed by themselves meanwhile are not included).
     *
     * @return the count
     */
    public long closedSpokes() {
        return this.closed.sum();
    }

    /**
     * The time the closes are spread over.
     *
     * @return the drain period
     */
    public Duration drainPeriod() {
        return this.drainPeriod;
    }

    @Override
    public void start() {
        this.state.set(State.RUNNING);
    }

    @Override
    public boolean isRunning() {
        State current = this.state.get();
        return current == State.RUNNING || current == State.DRAINING;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /**
     * Starts the drain and returns; the callback runs when the last spoke is closed. Does only that if the drain is
     * not running.
     *
     * @param callback told that the drain is over
     */
    @Override
    public void stop(Runnable callback) {
        if (!this.state.compareAndSet(State.RUNNING, State.DRAINING)) {
            callback.run();
            return;
        }
        new Run(this.schedulers.get(), callback).begin();
    }

    /**
     * Drains and waits for the drain to finish, for at most the drain period and the flush timeout and a second.
     */
    @Override
    public void stop() {
        CountDownLatch drained = new CountDownLatch(1);
        stop(drained::countDown);
        try {
            drained.await(this.drainPeriod.plus(this.flushTimeout).toMillis() + 1000, TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static Duration requireNotNegative(String name, Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + duration);
        }
        return duration;
    }

    private enum State {
        /** Created, not started; spokes are accepted. */
        NEW,
        /** Started; spokes are accepted. */
        RUNNING,
        /** Stopping: spokes are refused, and the connected ones are being closed. */
        DRAINING,
        /** Stopped: every spoke of the drain is closed. */
        DRAINED
    }

    /**
     * One drain: all of its methods run on its scheduler, one at a time.
     */
    private final class Run {

        private final DrainScheduler scheduler;

        private final Runnable done;

        private final List<SpokeEventTarget> spokes;

        private final int slices;

        private final long startNanos;

        private final List<Flushing> flushing = new ArrayList<>();

        private int nextSlice;

        Run(DrainScheduler scheduler, Runnable done) {
            this.scheduler = scheduler;
            this.done = done;
            this.spokes = SpokeDrain.this.hub.connections();
            this.slices = sliceCount(this.spokes.size(), SpokeDrain.this.drainPeriod);
            this.startNanos = scheduler.nanoTime();
        }

        void begin() {
            if (!this.spokes.isEmpty()) {
                logger.info("Draining {} spokes: closing them with {} in {} slices over {}", this.spokes.size(),
                        CloseCodes.GOING_AWAY, this.slices, SpokeDrain.this.drainPeriod);
            }
            this.scheduler.schedule(Duration.ZERO, this::tick);
        }

        private void tick() {
            try {
                long elapsed = this.scheduler.nanoTime() - this.startNanos;
                while (this.nextSlice < this.slices && dueNanos(this.nextSlice) <= elapsed) {
                    detachSlice(this.nextSlice++, elapsed);
                }
                if (this.nextSlice == this.slices) {
                    detachAll(SpokeDrain.this.hub.connections(), elapsed);
                }
                closeFlushed(elapsed);
                if (this.nextSlice == this.slices && this.flushing.isEmpty()) {
                    finish(elapsed);
                }
                else {
                    this.scheduler.schedule(POLL, this::tick);
                }
            }
            catch (RuntimeException ex) {
                logger.warn("The drain failed; the remaining spokes are closed when the server stops", ex);
                finish(this.scheduler.nanoTime() - this.startNanos);
            }
        }

        private long dueNanos(int slice) {
            return SpokeDrain.this.drainPeriod.toNanos() / this.slices * slice;
        }

        private void detachSlice(int slice, long elapsed) {
            int size = this.spokes.size();
            int from = (int) ((long) slice * size / this.slices);
            int to = (int) ((long) (slice + 1) * size / this.slices);
            detachAll(this.spokes.subList(from, to), elapsed);
        }

        private void detachAll(List<SpokeEventTarget> slice, long elapsed) {
            for (SpokeEventTarget spoke : slice) {
                RawSocket socket = spoke.socket();
                if (SpokeDrain.this.hub.removeConnection(socket)) {
                    this.flushing.add(new Flushing(socket, elapsed));
                }
            }
        }

        private void closeFlushed(long elapsed) {
            long timeout = SpokeDrain.this.flushTimeout.toNanos();
            for (Iterator<Flushing> pending = this.flushing.iterator(); pending.hasNext();) {
                Flushing next = pending.next();
                RawSocket socket = next.socket();
                if (!socket.isOpen()) {
                    pending.remove();
                }
                else if (socket.bufferedAmount() == 0 || elapsed - next.detachedAtNanos() >= timeout) {
                    socket.close(CloseCodes.GOING_AWAY, CLOSE_REASON);
                    SpokeDrain.this.closed.increment();
                    pending.remove();
                }
            }
        }

        private void finish(long elapsed) {
            SpokeDrain.this.state.set(State.DRAINED);
            if (!this.spokes.isEmpty()) {
                logger.info("Drained the hub in {} ms", TimeUnit.NANOSECONDS.toMillis(elapsed));
            }
            try {
                this.done.run();
            }
            finally {
                this.scheduler.close();
            }
        }
    }

    /** The number of slices: one per {@link #MIN_SLICE} of the period, at most one per spoke, at least one. */
    static int sliceCount(int spokes, Duration drainPeriod) {
        long byTime = drainPeriod.toNanos() / MIN_SLICE.toNanos();
        return (int) Math.max(1, Math.min(spokes, byTime));
    }

    private record Flushing(RawSocket socket, long detachedAtNanos) {
    }
}
