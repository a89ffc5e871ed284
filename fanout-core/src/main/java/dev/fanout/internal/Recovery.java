package dev.fanout.internal;

import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.fanout.HistoryEntry;
import dev.fanout.StreamPosition;

/**
 * The outcome of a subscribe's history request: what its acknowledgement says and which kept events the spoke
 * receives before the live ones.
 *
 * @param position the topic's position the acknowledgement carries, or {@code null} if it has none (no history, or
 *     the store failed)
 * @param recovered whether every event after the requested position is sent; {@code null} if none was requested
 * @param entries the kept events to send, oldest first
 * @param liveAfter the live events buffered during the recovery are sent if their offset is greater than this one;
 *     the others are already covered by {@code entries} or the position
 */
record Recovery(@Nullable StreamPosition position, @Nullable Boolean recovered, List<HistoryEntry> entries,
        long liveAfter) {

    /** A subscribe of a topic without history, or one that asked nothing of it. */
    static Recovery without(HistoryRequest request) {
        return new Recovery(null, (request.since() != null) ? Boolean.FALSE : null, List.of(), Long.MIN_VALUE);
    }
}
