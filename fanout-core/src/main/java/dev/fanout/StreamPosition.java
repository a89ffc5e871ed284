package dev.fanout;

import java.util.Objects;

/**
 * A position in the history of one topic: the topic's {@linkplain #epoch() epoch} and an {@linkplain #offset() offset}
 * in it. The offset of an event is its number in the topic's history: the first event of an epoch has offset 1, every
 * later one the next integer; offset 0 is the position before the first event. A position of another epoch says
 * nothing about this one: when a topic's history is lost (a restart of a single node, a lost Redis stream) its epoch
 * changes.
 *
 * <p>Immutable and thread-safe.
 *
 * @param epoch the epoch, a non-empty string that the hub chose; compared by equality only
 * @param offset the offset, zero or positive
 */
public record StreamPosition(String epoch, long offset) {

    /**
     * Validates the position.
     *
     * @throws IllegalArgumentException if the epoch is empty or the offset negative
     * @throws NullPointerException if the epoch is {@code null}
     */
    public StreamPosition {
        Objects.requireNonNull(epoch, "epoch");
        if (epoch.isEmpty()) {
            throw new IllegalArgumentException("epoch must not be empty");
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative, was " + offset);
        }
    }
}
