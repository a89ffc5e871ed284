package dev.fanout.internal;

import org.jspecify.annotations.Nullable;

import dev.fanout.StreamPosition;

/**
 * What a {@code __subscribe} asks of the topic's history: to recover every event after a position ({@code since}),
 * and whether to receive the topic's latest event at once ({@code latest}).
 *
 * @param since the position of the last event the spoke has, or {@code null} for none
 * @param latest whether the spoke wants the topic's latest kept event right after the acknowledgement
 */
record HistoryRequest(@Nullable StreamPosition since, boolean latest) {

    /** A plain subscribe, as in protocol 1. */
    static final HistoryRequest NONE = new HistoryRequest(null, false);
}
