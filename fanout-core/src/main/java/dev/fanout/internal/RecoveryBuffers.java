package dev.fanout.internal;

import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import dev.fanout.HistoryEntry;

/**
 * The live events of one connection's topics whose recovery is in progress: from the moment the connection joins
 * such a topic until its kept events are sent, the topic's live events wait here instead of going out, so that the
 * spoke receives the kept events first and then, by offset, only the live events that follow them (as Centrifugo's
 * recovery does: subscribe and buffer, read the history, merge).
 *
 * <p>Thread-safe. A dispatching thread {@linkplain #offer offers} an event; the thread that finishes the recovery
 * {@linkplain #release releases} the buffer. Both hold the buffer's monitor, and {@code release} sends the buffered
 * events while holding it, so an event offered during the release waits, finds the buffer released and is sent after
 * them. A release that stops early because the socket is backed up leaves the rest buffered, and events offered
 * until the next call join them in order. Lock order: a buffer's monitor, then whatever sending takes; {@link #discard} takes no lock, so it may be called
 * under the connection's monitor.
 */
final class RecoveryBuffers {

    /** What {@link #offer} returns when the event was not buffered: the caller sends it. */
    static final long NOT_BUFFERED = -1;

    private final ConcurrentMap<String, Buffer> byTopic = new ConcurrentHashMap<>();

    /** Starts buffering the live events of a topic, in place of any earlier buffer of it. */
    Buffer start(String topic) {
        Buffer buffer = new Buffer();
        Buffer earlier = this.byTopic.put(topic, buffer);
        if (earlier != null) {
            earlier.discarded = true;
        }
        return buffer;
    }

    /**
     * Buffers a live event if its topic's recovery is in progress.
     *
     * @return the chars now buffered for the topic, or {@link #NOT_BUFFERED} if the caller must send the event itself
     */
    long offer(String topic, long offset, String frame) {
        Buffer buffer = this.byTopic.get(topic);
        return (buffer != null) ? buffer.add(offset, frame) : NOT_BUFFERED;
    }

    /**
     * Sends the buffered events with an offset greater than {@code liveAfter}, in order, while {@code maySend} allows,
     * and once none is left lets the later ones go out directly; does nothing if the buffer was discarded meanwhile.
     *
     * @return {@code true} once the buffer is released; {@code false} if {@code maySend} stopped it with events left,
     *     which keep waiting (and later live events behind them) for the next call
     */
    boolean release(String topic, Buffer buffer, long liveAfter, Consumer<String> send, BooleanSupplier maySend) {
        if (!buffer.release(liveAfter, send, maySend)) {
            return false;
        }
        this.byTopic.remove(topic, buffer);
        return true;
    }

    /** Drops the buffer of a topic (it was unsubscribed, or its subscribe failed). */
    void discard(String topic) {
        Buffer buffer = this.byTopic.remove(topic);
        if (buffer != null) {
            buffer.discarded = true;
        }
    }

    /**
     * The buffered live events of one topic of one connection.
     */
    static final class Buffer {

        private final ArrayDeque<HistoryEntry> events = new ArrayDeque<>();

        private long bufferedChars;

        private boolean released;

        /** Set without the monitor by {@link #discard}; a buffer found discarded sends nothing more. */
        private volatile boolean discarded;

        /** Whether the recovery this buffer belongs to was given up: its topic was unsubscribed or subscribed anew. */
        boolean isDiscarded() {
            return this.discarded;
        }

        private synchronized long add(long offset, String frame) {
            if (this.released || this.discarded) {
                return NOT_BUFFERED;
            }
            this.events.add(new HistoryEntry(offset, frame));
            this.bufferedChars += frame.length();
            return this.bufferedChars;
        }

        private synchronized boolean release(long liveAfter, Consumer<String> send, BooleanSupplier maySend) {
            while (!this.events.isEmpty() && !this.discarded) {
                if (!maySend.getAsBoolean()) {
                    return false;
                }
                HistoryEntry event = this.events.poll();
                this.bufferedChars -= event.frame().length();
                if (event.offset() > liveAfter) {
                    send.accept(event.frame());
                }
            }
            this.released = true;
            this.events.clear();
            return true;
        }
    }
}
