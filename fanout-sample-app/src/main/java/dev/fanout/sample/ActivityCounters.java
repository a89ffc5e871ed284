package dev.fanout.sample;

import java.util.concurrent.atomic.LongAdder;

import org.springframework.stereotype.Component;

/**
 * The sample's own counters for {@code GET /api/stats}: events the app dispatched to the hub, events it received
 * from spokes, spokes disconnected for backpressure, and chat messages dropped as invalid.
 *
 * <p>Thread-safe: every method may be called from any thread; counts only grow.
 */
@Component
public final class ActivityCounters {

    private final LongAdder eventsSent = new LongAdder();

    private final LongAdder eventsReceived = new LongAdder();

    private final LongAdder backpressureDisconnects = new LongAdder();

    private final LongAdder invalidChatMessages = new LongAdder();

    /** Counts one event the app dispatched to the hub. */
    public void eventSent() {
        this.eventsSent.increment();
    }

    /** Counts one event the app received from a spoke. */
    public void eventReceived() {
        this.eventsReceived.increment();
    }

    /** Counts one spoke the hub closed because it read too slowly. */
    public void backpressureDisconnect() {
        this.backpressureDisconnects.increment();
    }

    /** Counts one chat message dropped as invalid. */
    public void invalidChatMessage() {
        this.invalidChatMessages.increment();
    }

    /**
     * Events the app dispatched to the hub so far (each counted once, however many spokes it reached).
     *
     * @return the count
     */
    public long eventsSent() {
        return this.eventsSent.sum();
    }

    /**
     * Events the app received from spokes so far.
     *
     * @return the count
     */
    public long eventsReceived() {
        return this.eventsReceived.sum();
    }

    /**
     * Spokes disconnected for backpressure so far.
     *
     * @return the count
     */
    public long backpressureDisconnects() {
        return this.backpressureDisconnects.sum();
    }

    /**
     * Chat messages dropped as invalid so far.
     *
     * @return the count
     */
    public long invalidChatMessages() {
        return this.invalidChatMessages.sum();
    }
}
