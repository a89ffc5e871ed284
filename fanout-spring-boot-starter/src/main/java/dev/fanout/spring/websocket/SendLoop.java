package dev.fanout.spring.websocket;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;
import org.springframework.web.socket.CloseStatus;

/**
 * The outbound side of one connection: a queue of {@link Outbound} entries (messages, then the close) and the state
 * machine that writes them to an {@link AsyncEndpoint}, one write at a time, in queue order.
 *
 * <p><b>States</b> ({@link State}). {@code IDLE}: nothing to do. {@code SCHEDULED}: work is queued and the loop is
 * on the {@link Scheduler}'s ready queue (or is about to be). {@code RUNNING}: a drainer thread runs the loop and
 * may be inside the endpoint. {@code AWAITING_SEND}: a send is in flight and its completion, on a container thread,
 * will schedule the loop again. {@code CLOSED}: the close was handed to the endpoint, or the container closed the
 * connection; final. Every transition happens under the one lock of this loop (its monitor), in the methods of this
 * class, and the lock is never held while the endpoint is called.
 *
 * <p><b>Writing.</b> A run takes the queue's entries in order. A lone message (the only entry, no batch open) is
 * written directly ({@link AsyncEndpoint#writeText}: one system call, no copy). Two or more are sent with the
 * endpoint's batch open (so each is copied into the container's output buffer and completes at once, and a burst
 * costs one system call per buffer), and when the queue is empty, a ping is due or the close is next, the batch is
 * ended (written out).
 *
 * <p><b>Fair shares.</b> A run writes at most one quantum of message bytes ({@link #DEFAULT_RUN_QUANTUM}, about four
 * output buffers) and then, if more is queued, ends its batch and goes back to the end of the scheduler's ready queue
 * ({@code SCHEDULED} again). So a backlog of many spokes drains round-robin, all of them at about the same pace,
 * instead of spoke after spoke: no spoke's queue runs dry while others are still far behind, which would turn the
 * next events into one system call per message for the drained ones (and keep a paused publisher waiting for the
 * last of them).
 * The ping and the close are written with no batch open and nothing in flight, so a close frame can never land
 * inside a message. Only a drainer runs the loop; publishers only enqueue ({@link #offer} never calls the endpoint).
 *
 * <p><b>Buffered amount</b> ({@link #bufferedAmount()}): the UTF-8 bytes queued, plus the message in flight, plus
 * completed sends of the open batch still in the container's output buffer. Of the last, at most
 * {@link AsyncEndpoint#outputBufferSize()} bytes can still be unwritten (the container writes its buffer whenever
 * it fills), so that much stays counted until the batch ends and anything beyond is released when its send
 * completes. {@code 0} once a close was accepted: the queue is dropped then.
 *
 * <p>Thread-safe: {@link #offer}, {@link #close}, {@link #requestPing}, {@link #abort}, {@link #terminate} and the
 * getters from any thread; {@link #run} by one scheduler thread at a time (the state machine ensures that).
 */
final class SendLoop {

    /** The states of a loop; see {@link SendLoop}. */
    enum State {

        /** Nothing to write; the next entry schedules the loop. */
        IDLE,

        /** Work is queued and a drainer will run the loop. */
        SCHEDULED,

        /** A drainer runs the loop. */
        RUNNING,

        /** A send is in flight; its completion schedules the loop again. */
        AWAITING_SEND,

        /** The close went to the endpoint, or the container closed the connection. Final. */
        CLOSED
    }

    private enum Action {
        WRITE_ONE, SEND, END_BATCH, PING, CLOSE, YIELD, STOP
    }

    /** The message bytes one run writes at most before it yields to the other loops, if more is queued. */
    static final long DEFAULT_RUN_QUANTUM = 32 * 1024;

    private final AsyncEndpoint endpoint;

    private final Scheduler scheduler;

    private final LongSupplier clock;

    private final Consumer<Throwable> onFailure;

    private final long runQuantum;

    private final AsyncEndpoint.Completion onSent = this::sent;

    private final ArrayDeque<Outbound> queue = new ArrayDeque<>();

    private State state = State.IDLE;

    private @Nullable CloseStatus closeAccepted;

    private boolean batchOpen;

    private boolean openBatchFirst;

    private boolean pingDue;

    /** Message bytes handed to the endpoint since the current run started. Written under the lock. */
    private long runBytes;

    /** Bytes of completed sends of the open batch still counted as buffered, at most the output buffer size. */
    private long unflushed;

    private Outbound.@Nullable Text inFlight;

    private boolean sendReturned;

    private boolean completedBeforeReturn;

    private @Nullable Throwable earlyFailure;

    private @Nullable CloseStatus closing;

    /** Written under the lock, read without it. */
    private volatile long buffered;

    /** The clock's time when the write now in flight started; {@code 0} when none is. Written under the lock. */
    private volatile long writingSince;

    /**
     * Creates an idle loop.
     *
     * @param endpoint where the entries are written
     * @param scheduler runs the loop when it has work
     * @param clock the time in nanoseconds, for {@link #writingSince()}
     * @param onFailure told when a write failed (on the thread that saw it, never under the lock); the owner
     *     usually closes the connection
     */
    SendLoop(AsyncEndpoint endpoint, Scheduler scheduler, LongSupplier clock, Consumer<Throwable> onFailure) {
        this(endpoint, scheduler, clock, onFailure, DEFAULT_RUN_QUANTUM);
    }

    /**
     * Creates an idle loop with its own run quantum.
     *
     * @param endpoint where the entries are written
     * @param scheduler runs the loop when it has work
     * @param clock the time in nanoseconds, for {@link #writingSince()}
     * @param onFailure told when a write failed
     * @param runQuantum the message bytes a run writes at most before it yields, if more is queued; at least 1
     */
    SendLoop(AsyncEndpoint endpoint, Scheduler scheduler, LongSupplier clock, Consumer<Throwable> onFailure,
            long runQuantum) {
        this.endpoint = endpoint;
        this.scheduler = scheduler;
        this.clock = clock;
        this.onFailure = onFailure;
        this.runQuantum = Math.max(1, runQuantum);
    }

    /**
     * Queues a message and, if the loop was idle, schedules it. Never calls the endpoint.
     *
     * @param text the message
     * @param size its UTF-8 size
     * @throws IllegalStateException if a close was accepted
     */
    void offer(String text, long size) {
        boolean schedule;
        synchronized (this) {
            if (this.closeAccepted != null || this.state == State.CLOSED) {
                throw new IllegalStateException(this + " is closed");
            }
            this.queue.add(new Outbound.Text(text, size));
            this.buffered += size;
            schedule = scheduleIfIdle();
        }
        if (schedule) {
            this.scheduler.schedule(this);
        }
    }

    /**
     * Accepts the close: drops the queued messages and queues the close behind the write in flight, if any.
     *
     * @param status the close frame's status
     * @return whether this call accepted the close ({@code false} if one was accepted before, or the container
     *     closed the connection)
     */
    boolean close(CloseStatus status) {
        boolean schedule;
        synchronized (this) {
            if (this.closeAccepted != null || this.state == State.CLOSED) {
                return false;
            }
            this.closeAccepted = status;
            this.queue.clear();
            this.queue.add(new Outbound.Close(status));
            this.buffered = 0;
            this.unflushed = 0;
            this.pingDue = false;
            schedule = scheduleIfIdle();
        }
        if (schedule) {
            this.scheduler.schedule(this);
        }
        return true;
    }

    /**
     * Asks for a ping, written at the next gap between batches. Ignored once a close was accepted.
     */
    void requestPing() {
        boolean schedule;
        synchronized (this) {
            if (this.closeAccepted != null || this.state == State.CLOSED || this.pingDue) {
                return;
            }
            this.pingDue = true;
            schedule = scheduleIfIdle();
        }
        if (schedule) {
            this.scheduler.schedule(this);
        }
    }

    /**
     * Gives up on a write that is stuck: marks the loop closed without waiting for it, so that the caller can close
     * the endpoint at once. Used by the stall watchdog after a close was accepted.
     *
     * @return the status to close the endpoint with, or {@code null} if the loop was already closed (the close is
     *     then someone else's)
     */
    @Nullable CloseStatus abort() {
        synchronized (this) {
            if (this.state == State.CLOSED || this.closeAccepted == null) {
                return null;
            }
            this.state = State.CLOSED;
            this.queue.clear();
            return this.closeAccepted;
        }
    }

    /**
     * The container closed the connection: nothing more is written.
     */
    void terminate() {
        synchronized (this) {
            this.state = State.CLOSED;
            this.queue.clear();
            this.buffered = 0;
            this.unflushed = 0;
        }
    }

    /**
     * The bytes accepted but not yet known to be written; see {@link SendLoop}.
     *
     * @return the buffered amount, {@code 0} or more
     */
    long bufferedAmount() {
        return this.buffered;
    }

    /**
     * When the write now in flight (a send, a flush, a ping or the close) started.
     *
     * @return the clock's time, or {@code 0} if nothing is in flight
     */
    long writingSince() {
        return this.writingSince;
    }

    /**
     * The current state, for tests and diagnostics.
     *
     * @return the state
     */
    State state() {
        synchronized (this) {
            return this.state;
        }
    }

    /**
     * Runs the loop on a drainer thread: writes entries until there is nothing left, a send completes later (its
     * completion schedules the loop again), the run wrote its quantum (it then schedules itself again), or the loop
     * closed. Does nothing unless the loop is scheduled.
     *
     * @param blockingWrites told around each call that may block
     */
    void run(BlockingWrites blockingWrites) {
        synchronized (this) {
            if (this.state != State.SCHEDULED) {
                return;
            }
            this.state = State.RUNNING;
            this.runBytes = 0;
        }
        while (true) {
            Action action;
            synchronized (this) {
                action = nextAction();
            }
            switch (action) {
                case WRITE_ONE -> writeOne(blockingWrites);
                case SEND -> {
                    if (!send()) {
                        return;
                    }
                }
                case END_BATCH -> endBatch(blockingWrites);
                case PING -> ping(blockingWrites);
                case CLOSE -> {
                    closeEndpoint(blockingWrites);
                    return;
                }
                case YIELD -> {
                    this.scheduler.schedule(this);
                    return;
                }
                case STOP -> {
                    return;
                }
            }
        }
    }

    /** Under the lock: the one place that decides what a run does next. */
    private Action nextAction() {
        if (this.state != State.RUNNING) {
            return Action.STOP;
        }
        Outbound head = this.queue.peek();
        if (head instanceof Outbound.Close close) {
            if (this.batchOpen) {
                return startWrite(Action.END_BATCH);
            }
            this.queue.poll();
            this.state = State.CLOSED;
            this.closing = close.status();
            return startWrite(Action.CLOSE);
        }
        if (this.pingDue) {
            if (this.batchOpen) {
                return startWrite(Action.END_BATCH);
            }
            this.pingDue = false;
            return startWrite(Action.PING);
        }
        if (head instanceof Outbound.Text && this.runBytes >= this.runQuantum) {
            if (this.batchOpen) {
                return startWrite(Action.END_BATCH);
            }
            this.state = State.SCHEDULED;
            return Action.YIELD;
        }
        if (head instanceof Outbound.Text text && !this.batchOpen && this.queue.size() == 1) {
            this.queue.poll();
            this.inFlight = text;
            this.runBytes += text.size();
            return startWrite(Action.WRITE_ONE);
        }
        if (head instanceof Outbound.Text text) {
            this.queue.poll();
            this.inFlight = text;
            this.runBytes += text.size();
            this.sendReturned = false;
            this.completedBeforeReturn = false;
            this.earlyFailure = null;
            this.openBatchFirst = !this.batchOpen;
            this.batchOpen = true;
            return startWrite(Action.SEND);
        }
        if (this.batchOpen) {
            return startWrite(Action.END_BATCH);
        }
        this.state = State.IDLE;
        return Action.STOP;
    }

    private Action startWrite(Action action) {
        long now = this.clock.getAsLong();
        this.writingSince = (now != 0) ? now : 1;
        return action;
    }

    /**
     * Sends the message in flight.
     *
     * @return whether this thread carries on (the send completed before it returned, or failed)
     */
    private boolean send() {
        Outbound.Text text = Objects.requireNonNull(this.inFlight);
        try {
            if (this.openBatchFirst) {
                this.endpoint.beginBatch();
            }
            this.endpoint.sendText(text.text(), this.onSent);
        }
        catch (IOException | RuntimeException ex) {
            synchronized (this) {
                this.sendReturned = true;
                finishSend(ex);
            }
            this.onFailure.accept(ex);
            return true;
        }
        Throwable failure;
        synchronized (this) {
            this.sendReturned = true;
            if (!this.completedBeforeReturn) {
                if (this.state == State.RUNNING) {
                    this.state = State.AWAITING_SEND;
                }
                return false;
            }
            failure = this.earlyFailure;
            finishSend(failure);
        }
        if (failure != null) {
            this.onFailure.accept(failure);
        }
        return true;
    }

    private void sent(@Nullable Throwable failure) {
        boolean schedule = false;
        synchronized (this) {
            if (!this.sendReturned) {
                // The container completed the send on the sending thread, inside sendText: that thread carries on.
                this.completedBeforeReturn = true;
                this.earlyFailure = failure;
                return;
            }
            finishSend(failure);
            if (this.state == State.AWAITING_SEND) {
                this.state = State.SCHEDULED;
                schedule = true;
            }
        }
        if (failure != null) {
            this.onFailure.accept(failure);
        }
        if (schedule) {
            this.scheduler.schedule(this);
        }
    }

    /** Under the lock: the accounting of a finished send. */
    private void finishSend(@Nullable Throwable failure) {
        Outbound.Text text = this.inFlight;
        this.inFlight = null;
        this.writingSince = 0;
        if (text == null || this.closeAccepted != null || this.state == State.CLOSED) {
            return;
        }
        if (failure != null) {
            this.buffered -= text.size();
            return;
        }
        this.unflushed += text.size();
        long limit = this.endpoint.outputBufferSize();
        if (this.unflushed > limit) {
            this.buffered -= this.unflushed - limit;
            this.unflushed = limit;
        }
    }

    private void writeOne(BlockingWrites blockingWrites) {
        Outbound.Text text = Objects.requireNonNull(this.inFlight);
        Throwable failure = callBlocking(blockingWrites, () -> this.endpoint.writeText(text.text()));
        synchronized (this) {
            this.inFlight = null;
            this.writingSince = 0;
            if (this.closeAccepted == null && this.state != State.CLOSED) {
                this.buffered -= text.size();
            }
        }
        if (failure != null) {
            this.onFailure.accept(failure);
        }
    }

    private void endBatch(BlockingWrites blockingWrites) {
        Throwable failure = callBlocking(blockingWrites, this.endpoint::endBatch);
        synchronized (this) {
            this.batchOpen = false;
            this.writingSince = 0;
            if (this.closeAccepted == null && this.state != State.CLOSED) {
                this.buffered -= this.unflushed;
            }
            this.unflushed = 0;
        }
        if (failure != null) {
            this.onFailure.accept(failure);
        }
    }

    private void ping(BlockingWrites blockingWrites) {
        Throwable failure = callBlocking(blockingWrites, this.endpoint::ping);
        synchronized (this) {
            this.writingSince = 0;
        }
        if (failure != null) {
            this.onFailure.accept(failure);
        }
    }

    private void closeEndpoint(BlockingWrites blockingWrites) {
        CloseStatus status = Objects.requireNonNull(this.closing);
        blockingWrites.begin();
        try {
            this.endpoint.close(status);
        }
        finally {
            blockingWrites.end();
            synchronized (this) {
                this.writingSince = 0;
            }
        }
    }

    /** Calls the endpoint outside the lock, telling {@code blockingWrites}; returns the failure, if any. */
    private static @Nullable Throwable callBlocking(BlockingWrites blockingWrites, EndpointCall call) {
        blockingWrites.begin();
        try {
            call.run();
            return null;
        }
        catch (IOException | RuntimeException ex) {
            return ex;
        }
        finally {
            blockingWrites.end();
        }
    }

    /** Under the lock. */
    private boolean scheduleIfIdle() {
        if (this.state == State.IDLE) {
            this.state = State.SCHEDULED;
            return true;
        }
        return false;
    }

    @Override
    public String toString() {
        return "send loop of " + this.endpoint;
    }

    /** An endpoint call that may block. */
    @FunctionalInterface
    private interface EndpointCall {

        void run() throws IOException;
    }

    /**
     * Runs loops that have work; {@link SendScheduler} in production.
     */
    @FunctionalInterface
    interface Scheduler {

        /**
         * Arranges for {@link SendLoop#run} to be called soon, on a thread that is not the caller's.
         *
         * @param loop a loop in state {@code SCHEDULED}
         */
        void schedule(SendLoop loop);
    }
}
