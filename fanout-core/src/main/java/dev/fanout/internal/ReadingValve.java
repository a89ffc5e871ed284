package dev.fanout.internal;

import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.fanout.RawSocket;

/**
 * Pauses and resumes the reading of one connection's socket as {@link FlowControl} decides, calling
 * {@link RawSocket#pauseReading()} and {@link RawSocket#resumeReading()} outside every lock of the hub and in the
 * order of the decisions: a resume decided after a pause can never reach the socket before that pause.
 *
 * <p>{@link #want} records the latest decision (the flow control makes it under its lock); {@link #apply} brings the
 * socket to it. Only one thread at a time applies: the one that moves {@code pending} from 0; a thread that finds
 * another applying leaves its decision to that one, which loops until no decision is left. So a socket whose
 * {@code resumeReading} delivers messages on the calling thread, and thereby pauses it again, is handled too: that
 * pause is applied nested, at once (see {@code resuming}).
 * Happens-before: {@code paused} and {@code cannotPause} are only touched by the applying thread, and the hand-over
 * from one applying thread to the next goes through {@code pending} (the decrement to 0 precedes the increment from
 * 0).
 */
final class ReadingValve {

    private static final Logger logger = LoggerFactory.getLogger(ReadingValve.class);

    /**
     * Told when the socket really paused or resumed.
     */
    interface Listener {

        void paused();

        void resumed();
    }

    private final RawSocket socket;

    private final Listener listener;

    private final AtomicInteger pending = new AtomicInteger();

    private volatile boolean wanted;

    private boolean paused;

    /**
     * The thread inside {@link RawSocket#resumeReading()}, if any. A socket may deliver the messages that waited on
     * that thread, and one of them may pause it again: that pause is applied at once, nested, by the same thread,
     * so that the socket stops delivering; it cannot wait for the resume to return.
     */
    private volatile @Nullable Thread resuming;

    /** Set once the socket said it cannot pause; read by any thread to skip attributing to this publisher. */
    private volatile boolean cannotPause;

    ReadingValve(RawSocket socket, Listener listener) {
        this.socket = socket;
        this.listener = listener;
    }

    /**
     * Records a decision; {@link #apply} carries it out.
     *
     * @param pause whether the socket should be paused
     */
    void want(boolean pause) {
        this.wanted = pause;
    }

    /**
     * Whether the socket may pause: {@code false} once it answered that it cannot.
     */
    boolean mayPause() {
        return !this.cannotPause;
    }

    /**
     * Brings the socket to the latest decision, unless another thread is doing so (it then does this one's too).
     */
    void apply() {
        if (this.resuming == Thread.currentThread()) {
            step();
            return;
        }
        if (this.pending.getAndIncrement() != 0) {
            return;
        }
        do {
            step();
        }
        while (this.pending.decrementAndGet() != 0);
    }

    private void step() {
        boolean want = this.wanted;
        if (want && !this.paused && !this.cannotPause) {
            this.paused = pause();
            if (this.paused) {
                this.listener.paused();
            }
            else {
                this.cannotPause = true;
            }
        }
        else if (!want && this.paused) {
            this.paused = false;
            this.listener.resumed();
            this.resuming = Thread.currentThread();
            try {
                resume();
            }
            finally {
                this.resuming = null;
            }
        }
    }

    private boolean pause() {
        try {
            return this.socket.pauseReading();
        }
        catch (RuntimeException ex) {
            logger.debug("Pausing the reading of {} failed; it is not paused", this.socket, ex);
            return false;
        }
    }

    private void resume() {
        try {
            this.socket.resumeReading();
        }
        catch (RuntimeException ex) {
            logger.debug("Resuming the reading of {} failed", this.socket, ex);
        }
    }
}
