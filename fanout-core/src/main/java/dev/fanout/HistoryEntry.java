package dev.fanout;

import java.util.Objects;

/**
 * One event kept in a topic's history: its offset and its frame, exactly as it was sent to the subscribers (with
 * its {@code "offset"} member).
 *
 * <p>Immutable and thread-safe.
 *
 * @param offset the offset of the event in its topic, positive
 * @param frame the serialized event
 */
public record HistoryEntry(long offset, String frame) {

    /**
     * Validates the entry.
     *
     * @throws IllegalArgumentException if the offset is not positive
     * @throws NullPointerException if the frame is {@code null}
     */
    public HistoryEntry {
        if (offset <= 0) {
            throw new IllegalArgumentException("offset must be positive, was " + offset);
        }
        Objects.requireNonNull(frame, "frame");
    }
}
