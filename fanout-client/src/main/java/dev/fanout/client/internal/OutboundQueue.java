package dev.fanout.client.internal;

import java.util.ArrayDeque;

import org.jspecify.annotations.Nullable;

/**
 * The messages waiting to be written: the control requests of the current connection, which go first, and the app's
 * events, which are kept across reconnects up to a limit. Not thread-safe: the client's guard protects it.
 */
final class OutboundQueue {

    private final int maxEvents;

    private final ArrayDeque<String> control = new ArrayDeque<>();

    private final ArrayDeque<String> events = new ArrayDeque<>();

    private long rejected;

    OutboundQueue(int maxEvents) {
        this.maxEvents = maxEvents;
    }

    void addControl(String message) {
        this.control.add(message);
    }

    /** Drops the control requests: they belong to a connection that is gone, and a new one sends its own. */
    void clearControl() {
        this.control.clear();
    }

    /**
     * Queues an event, or rejects and counts it if the queue is full.
     *
     * @return whether it was queued
     */
    boolean offerEvent(String message) {
        if (this.events.size() >= this.maxEvents) {
            this.rejected++;
            return false;
        }
        this.events.add(message);
        return true;
    }

    /** Counts an event rejected for another reason (the client is closed). */
    void reject() {
        this.rejected++;
    }

    /**
     * The next message to write: control requests before events.
     */
    @Nullable String poll() {
        String next = this.control.poll();
        return (next != null) ? next : this.events.poll();
    }

    int eventCount() {
        return this.events.size();
    }

    long rejectedCount() {
        return this.rejected;
    }

    void clear() {
        this.control.clear();
        this.events.clear();
    }
}
