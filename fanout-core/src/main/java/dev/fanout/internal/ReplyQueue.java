package dev.fanout.internal;

import java.util.ArrayDeque;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.fanout.WebSocketServerEventTarget;

/**
 * The reply queue of one connection's {@link SubscriptionFlow}: the replies to its control events, the kept events
 * of its recoveries and the releases of their recovery buffers, sent in the order they were queued. The one thread
 * that finds the queue not being drained sends its steps, in order; a {@linkplain ReplayPacing paced} step (a kept
 * event, a release) that finds the socket backed up hands the rest of the queue to a later check of the pacing, so
 * replies queued behind a recovery wait behind it.
 *
 * <p>Thread-safe. Steps are added under the flow's lock, the one given here (so that they are queued in the order of
 * the state changes that cause them), and {@link #drain} takes it only to look at and remove the head: the steps run
 * outside it, by one thread at a time.
 */
final class ReplyQueue {

    private static final Logger logger = LoggerFactory.getLogger(WebSocketServerEventTarget.class);

    private final Object lock;

    private final Connection connection;

    private final ReplayPacing pacing;

    private final ArrayDeque<Step> steps = new ArrayDeque<>();

    private boolean draining;

    /**
     * Creates an empty queue.
     *
     * @param lock the flow's lock, held by the callers of the {@code add} methods
     * @param connection where the steps send
     * @param pacing how paced steps wait for the socket to drain
     */
    ReplyQueue(Object lock, Connection connection, ReplayPacing pacing) {
        this.lock = lock;
        this.connection = connection;
        this.pacing = pacing;
    }

    /** Queues a reply frame; call under the lock. */
    void addReply(String frame) {
        this.steps.add(() -> {
            this.connection.send(frame);
            return true;
        });
    }

    /** Queues one kept event of a recovery, paced, dropped if the recovery is discarded first; call under the lock. */
    void addRecovered(RecoveryBuffers.Buffer recovery, String frame) {
        this.steps.add(new PacedSend(recovery, frame));
    }

    /**
     * Queues the release of a recovery buffer: its live events go out, paced, and then the topic's live events flow
     * directly; call under the lock.
     */
    void addRelease(String topic, RecoveryBuffers.Buffer buffer, long liveAfter) {
        this.steps.add(new PacedRelease(topic, buffer, liveAfter));
    }

    /**
     * Sends the queued steps, unless another thread is doing so; call without the lock.
     */
    void drain() {
        synchronized (this.lock) {
            if (this.draining) {
                return;
            }
            this.draining = true;
        }
        drainOwned();
    }

    /** Runs the queue's steps; called only by the owner of {@code draining}, so only it removes from the queue. */
    private void drainOwned() {
        while (true) {
            Step next;
            synchronized (this.lock) {
                next = this.steps.peek();
                if (next == null) {
                    this.draining = false;
                    return;
                }
            }
            if (next.paced() && socketBackedUp()) {
                this.pacing.later(this::drainOwned);
                return;
            }
            if (!next.run()) {
                this.pacing.later(this::drainOwned);
                return;
            }
            synchronized (this.lock) {
                this.steps.poll();
            }
        }
    }

    /** Whether a paced step must wait: the socket buffered more than the pacing allows and is still worth waiting for. */
    private boolean socketBackedUp() {
        if (!this.connection.isConnected()) {
            return false;
        }
        try {
            return this.connection.socket().bufferedAmount() > this.pacing.maxBufferedBytes();
        }
        catch (RuntimeException ex) {
            logger.debug("Reading the buffered amount of {} failed", this.connection, ex);
            return false;
        }
    }

    /**
     * One entry of the queue. Only the draining thread runs steps.
     */
    @FunctionalInterface
    private interface Step {

        /**
         * Runs the step, or as much of it as the socket allows now.
         *
         * @return whether the step is done; {@code false} to be run again after the pacing's interval
         */
        boolean run();

        /** Whether the step waits while the socket is backed up. */
        default boolean paced() {
            return false;
        }
    }

    /** Sends one kept event of a recovery, unless the recovery was given up meanwhile (unsubscribe, resubscribe). */
    private final class PacedSend implements Step {

        private final RecoveryBuffers.Buffer recovery;

        private final String frame;

        PacedSend(RecoveryBuffers.Buffer recovery, String frame) {
            this.recovery = recovery;
            this.frame = frame;
        }

        @Override
        public boolean run() {
            if (!this.recovery.isDiscarded()) {
                ReplyQueue.this.connection.send(this.frame);
            }
            return true;
        }

        @Override
        public boolean paced() {
            return true;
        }
    }

    /** Sends the live events buffered during a recovery, as many at a time as the socket allows, then lets them flow. */
    private final class PacedRelease implements Step {

        private final String topic;

        private final RecoveryBuffers.Buffer buffer;

        private final long liveAfter;

        PacedRelease(String topic, RecoveryBuffers.Buffer buffer, long liveAfter) {
            this.topic = topic;
            this.buffer = buffer;
            this.liveAfter = liveAfter;
        }

        @Override
        public boolean run() {
            Connection connection = ReplyQueue.this.connection;
            return connection.recoveries().release(this.topic, this.buffer, this.liveAfter, connection::send,
                    () -> !socketBackedUp());
        }

        @Override
        public boolean paced() {
            return true;
        }
    }
}
