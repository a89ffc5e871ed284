package dev.fanout;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link HistoryStore#read} found: the topic's position now and some of its kept events.
 *
 * <p>Immutable and thread-safe.
 *
 * @param latest the topic's epoch and the offset of its latest event (0 if it has none yet)
 * @param entries the entries asked for, oldest first, in strictly increasing offset order, none after
 *     {@code latest}
 */
public record HistorySlice(StreamPosition latest, List<HistoryEntry> entries) {

    /**
     * Validates the slice and copies the entries.
     *
     * @throws IllegalArgumentException if the entries are not in strictly increasing offset order, or one lies
     *     after {@code latest}
     * @throws NullPointerException if an argument or an entry is {@code null}
     */
    public HistorySlice {
        Objects.requireNonNull(latest, "latest");
        entries = List.copyOf(entries);
        long previous = 0;
        for (HistoryEntry entry : entries) {
            if (entry.offset() <= previous || entry.offset() > latest.offset()) {
                throw new IllegalArgumentException("entries must have strictly increasing offsets up to "
                        + latest.offset() + ", found " + entry.offset() + " after " + previous);
            }
            previous = entry.offset();
        }
    }
}
