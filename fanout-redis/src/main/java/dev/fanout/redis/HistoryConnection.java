package dev.fanout.redis;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The history store's own connection to Redis, opened on demand: at the start, when the broker reconnects
 * ({@link #retryNow}), and when a command finds it closed. Commands submitted while it is being opened wait in
 * order and are sent, in that order, before any later one; when the attempt fails they are dropped and counted
 * through {@code onDropped}. After a failed attempt, no new one starts for the retry delay: commands submitted
 * meanwhile are refused, so a Redis that is down costs no connect per dispatch.
 *
 * <p>Thread-safe. One lock guards the waiting commands, the attempt and the writes of the open connection; it is held
 * while waiting commands are handed to the connection (which does not block) but never across I/O.
 *
 * @param <C> the connection
 */
final class HistoryConnection<C> {

    private static final Logger logger = LoggerFactory.getLogger(RedisHistoryStore.class);

    /**
     * Opens and closes connections.
     *
     * @param <C> the connection
     */
    interface Opener<C> {

        /** Starts opening a connection ready for commands; on failure the stage fails, having closed what it opened. */
        CompletionStage<C> open();

        /** Whether the connection is still open. */
        boolean isOpen(C connection);

        /** Closes the connection without waiting; never throws. */
        CompletionStage<Void> close(C connection);
    }

    private final Opener<C> opener;

    private final long retryDelayNanos;

    private final LongSupplier nanoClock;

    private final IntConsumer onDropped;

    private final Object lock = new Object();

    /** The commands submitted while the connection was being opened, in order; run before {@link #ready} is set. */
    private final ArrayDeque<Consumer<C>> pending = new ArrayDeque<>();

    /**
     * The open connection commands go straight to, or null. Set under the lock after the pending commands were run,
     * so a command that reads it (volatile) is sent after them.
     */
    private volatile @Nullable C ready;

    /** The latest attempt to open the connection, or null before the first. */
    private @Nullable CompletableFuture<C> attempt;

    /** No new attempt before this time after one failed. */
    private long retryAtNanos;

    private boolean closed;

    /**
     * A connection that is not opened yet.
     *
     * @param opener opens and closes the connection
     * @param retryDelay how long after a failed attempt no new one starts
     * @param nanoClock the monotonic clock, in nanoseconds
     * @param onDropped told, under the lock, how many waiting commands an attempt that failed (or a close) dropped
     */
    HistoryConnection(Opener<C> opener, Duration retryDelay, LongSupplier nanoClock, IntConsumer onDropped) {
        this.opener = opener;
        this.retryDelayNanos = retryDelay.toNanos();
        this.nanoClock = nanoClock;
        this.onDropped = onDropped;
        this.retryAtNanos = nanoClock.getAsLong();
    }

    /** Starts the first attempt. */
    void start() {
        synchronized (this.lock) {
            connectIfNeeded();
        }
    }

    /**
     * Runs the command with the open connection now, or once the attempt that runs opened it.
     *
     * @param command sends something on the connection; it must not block
     * @return {@code false} if it was refused: the store is closed, or the last attempt failed less than the retry
     *     delay ago
     */
    boolean submit(Consumer<C> command) {
        C target = this.ready;
        if (target == null || !this.opener.isOpen(target)) {
            synchronized (this.lock) {
                target = this.ready;
                if (target == null || !this.opener.isOpen(target)) {
                    if (connectIfNeeded() == null) {
                        return false;
                    }
                    this.pending.add(command);
                    return true;
                }
            }
        }
        command.accept(target);
        return true;
    }

    /**
     * The open connection, for a command whose reply the caller waits for.
     *
     * @return a stage with the connection (complete if it is open), or null if there is none and none may be opened
     *     now
     */
    @Nullable CompletableFuture<C> connection() {
        C target = this.ready;
        if (target != null && this.opener.isOpen(target)) {
            return CompletableFuture.completedFuture(target);
        }
        synchronized (this.lock) {
            return connectIfNeeded();
        }
    }

    /** The broker reconnected: opens the connection again now if it was lost, whatever the retry delay says. */
    void retryNow() {
        synchronized (this.lock) {
            this.retryAtNanos = this.nanoClock.getAsLong();
            connectIfNeeded();
        }
    }

    /**
     * Closes for good: drops the waiting commands, closes the open connection, and one that an attempt still opens.
     *
     * @return a stage completing when the open connection is closed
     */
    CompletableFuture<Void> close() {
        C open;
        synchronized (this.lock) {
            this.closed = true;
            dropPending();
            open = this.ready;
            this.ready = null;
        }
        return (open != null) ? this.opener.close(open).toCompletableFuture() : CompletableFuture.completedFuture(null);
    }

    /**
     * Under the lock: the attempt that runs now, started if none runs, or null if none may (closed, the connection is
     * open, or the last attempt failed less than the retry delay ago).
     */
    private @Nullable CompletableFuture<C> connectIfNeeded() {
        CompletableFuture<C> current = this.attempt;
        if (this.closed) {
            return null;
        }
        if (current != null && !current.isDone()) {
            return current;
        }
        C open = this.ready;
        if ((open != null && this.opener.isOpen(open)) || (current != null && current.isCompletedExceptionally()
                && this.nanoClock.getAsLong() - this.retryAtNanos < 0)) {
            return null;
        }
        if (open != null) {
            this.ready = null;
            this.opener.close(open);
        }
        CompletableFuture<C> fresh = new CompletableFuture<>();
        this.attempt = fresh;
        try {
            this.opener.open().whenComplete((connected, failure) -> connected(fresh, connected, failure));
        }
        catch (RuntimeException ex) {
            connected(fresh, null, ex);
        }
        return fresh.isDone() ? null : fresh;
    }

    private void connected(CompletableFuture<C> opening, @Nullable C open, @Nullable Throwable failure) {
        synchronized (this.lock) {
            if (failure != null || open == null || this.closed) {
                this.retryAtNanos = this.nanoClock.getAsLong() + this.retryDelayNanos;
                dropPending();
                if (open != null) {
                    this.opener.close(open);
                }
                logger.debug("The Redis history store could not connect", failure);
                opening.completeExceptionally((failure != null) ? failure : new IllegalStateException("closed"));
                return;
            }
            for (Consumer<C> command : this.pending) {
                command.accept(open);
            }
            this.pending.clear();
            this.ready = open;
        }
        opening.complete(open);
    }

    /** Under the lock. */
    private void dropPending() {
        int count = this.pending.size();
        if (count > 0) {
            this.pending.clear();
            this.onDropped.accept(count);
        }
    }
}
