package dev.fanout.client.internal;

import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's way out to the hub: its {@link OutboundQueue} and the one write in flight on the attached channel.
 * Writes start in queue order, one at a time, each once the previous one completed. A message leaves the queue when
 * its write starts and is never written again, whatever the outcome (delivery is at most once); a failed write aborts
 * its channel, whose close then reaches the client like any other.
 *
 * <p>Thread-safe: every method synchronizes on the guard it was given, the client's one guard, so that what the
 * client queues and the channel it attaches under that guard are seen together. The guard is never held while
 * writing. A write that completes after its channel was detached changes nothing.
 */
final class OutboundWriter {

    private static final Logger logger = LoggerFactory.getLogger(OutboundWriter.class);

    private final Object guard;

    private final OutboundQueue queue;

    private Transport.@Nullable Channel channel;

    private boolean writing;

    OutboundWriter(Object guard, int maxQueuedEvents) {
        this.guard = guard;
        this.queue = new OutboundQueue(maxQueuedEvents);
    }

    /** Queues a control request of the current connection, to be written before any event. */
    void addControl(String message) {
        synchronized (this.guard) {
            this.queue.addControl(message);
        }
    }

    /**
     * Queues an event of the app, or rejects and counts it if the queue is full.
     *
     * @return whether it was queued
     */
    boolean offerEvent(String message) {
        synchronized (this.guard) {
            return this.queue.offerEvent(message);
        }
    }

    /** Counts an event rejected for another reason (the client is closed). */
    void rejectEvent() {
        synchronized (this.guard) {
            this.queue.reject();
        }
    }

    int queuedEventCount() {
        synchronized (this.guard) {
            return this.queue.eventCount();
        }
    }

    long rejectedEventCount() {
        synchronized (this.guard) {
            return this.queue.rejectedCount();
        }
    }

    /** A connection opened: {@link #pump} writes to it from now on. */
    void attach(Transport.Channel opened) {
        synchronized (this.guard) {
            this.channel = opened;
            this.writing = false;
        }
    }

    /**
     * The connection is gone: nothing more is written to it, and its control requests are dropped (the next
     * connection writes its own). The app's events stay queued for the next connection.
     */
    void detach() {
        synchronized (this.guard) {
            this.channel = null;
            this.writing = false;
            this.queue.clearControl();
        }
    }

    /** The client closed: nothing is written any more, and everything queued is dropped. */
    void clear() {
        synchronized (this.guard) {
            this.channel = null;
            this.writing = false;
            this.queue.clear();
        }
    }

    /**
     * Writes queued messages, one at a time, until the queue is empty, no channel is attached, or a write is still in
     * progress; the completion of that write goes on. Call it after queueing, outside the guard.
     */
    void pump() {
        while (true) {
            Transport.Channel target;
            String message;
            synchronized (this.guard) {
                target = this.channel;
                if (target == null || this.writing) {
                    return;
                }
                message = this.queue.poll();
                if (message == null) {
                    return;
                }
                this.writing = true;
            }
            CompletableFuture<?> written;
            try {
                written = target.send(message);
            }
            catch (RuntimeException ex) {
                written = CompletableFuture.failedFuture(ex);
            }
            if (!written.isDone()) {
                written.whenComplete((ignored, error) -> {
                    if (finished(target, error)) {
                        pump();
                    }
                });
                return;
            }
            if (!finished(target, failureOf(written))) {
                return;
            }
        }
    }

    /**
     * Ends a write. A failed write aborts the connection (its message is not written again: at most once).
     *
     * @return whether writing may go on
     */
    private boolean finished(Transport.Channel target, @Nullable Throwable error) {
        synchronized (this.guard) {
            if (this.channel != target) {
                return false;
            }
            this.writing = false;
        }
        if (error != null) {
            logger.debug("A write failed; dropping the connection", error);
            target.abort();
            return false;
        }
        return true;
    }

    private static @Nullable Throwable failureOf(CompletableFuture<?> done) {
        return done.handle((ignored, error) -> error).join();
    }
}
