package dev.fanout.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.jspecify.annotations.Nullable;

import dev.fanout.HistoryEntry;
import dev.fanout.HistoryOptions;
import dev.fanout.HistoryRule;
import dev.fanout.HistorySlice;
import dev.fanout.HistoryStore;
import dev.fanout.StreamPosition;

/**
 * The hub's history: which topics have one, the store that keeps it, and the decision of what a recovering
 * subscribe receives. A hub without history rules has none of this, so its dispatches never reach this class.
 *
 * <p>Thread-safe: immutable apart from the store, which is thread-safe.
 */
final class TopicHistories {

    private final HistoryRule[] rules;

    private final int maxRecoveredEvents;

    private final HistoryStore store;

    private final HistoryStore.Delivery delivery;

    TopicHistories(HistoryOptions options, HistoryStore store, HistoryStore.Delivery delivery) {
        this.rules = options.rules().toArray(new HistoryRule[0]);
        this.maxRecoveredEvents = options.maxRecoveredEvents();
        this.store = store;
        this.delivery = delivery;
    }

    /** The rule of a topic: the first that matches it, or {@code null} if the topic keeps no history. */
    @Nullable HistoryRule ruleFor(String topic) {
        for (HistoryRule rule : this.rules) {
            if (rule.matches(topic)) {
                return rule;
            }
        }
        return null;
    }

    void append(String topic, HistoryRule rule, String frame) {
        this.store.append(topic, rule, frame, this.delivery);
    }

    /**
     * Decides what a subscribe of a topic with history receives; call it once the subscriber is in the topic, so that
     * every event after the position read here reaches it live. Never completes exceptionally: when the store fails,
     * the recovery has no position and every live event buffered meanwhile is sent.
     */
    CompletionStage<Recovery> recover(String topic, HistoryRule rule, HistoryRequest request) {
        StreamPosition since = request.since();
        int limit = (since != null) ? this.maxRecoveredEvents : (request.latest() ? 1 : 0);
        long afterOffset = (since != null) ? since.offset() : 0;
        return read(topic, rule, afterOffset, limit).thenCompose((slice) -> {
            if (since == null) {
                return done(new Recovery(slice.latest(), null, slice.entries(), slice.latest().offset()));
            }
            if (provesNoGap(since, slice)) {
                return done(new Recovery(slice.latest(), Boolean.TRUE, slice.entries(), slice.latest().offset()));
            }
            if (!request.latest()) {
                return done(new Recovery(slice.latest(), Boolean.FALSE, List.of(), slice.latest().offset()));
            }
            return read(topic, rule, 0, 1).thenApply((newest) -> new Recovery(newest.latest(), Boolean.FALSE,
                    newest.entries(), newest.latest().offset()));
        }).exceptionally((failure) -> Recovery.without(request));
    }

    /**
     * Whether the slice holds every event after {@code since}: the same epoch, and as many entries as events followed
     * it, starting right after it (offsets of an epoch have no holes), no more than a recovery may send.
     */
    private boolean provesNoGap(StreamPosition since, HistorySlice slice) {
        StreamPosition latest = slice.latest();
        if (!since.epoch().equals(latest.epoch()) || since.offset() > latest.offset()) {
            return false;
        }
        long missed = latest.offset() - since.offset();
        if (missed == 0) {
            return true;
        }
        List<HistoryEntry> entries = slice.entries();
        return missed <= this.maxRecoveredEvents && entries.size() == missed
                && entries.get(0).offset() == since.offset() + 1;
    }

    private CompletionStage<HistorySlice> read(String topic, HistoryRule rule, long afterOffset, int limit) {
        try {
            return this.store.read(topic, rule, afterOffset, limit);
        }
        catch (RuntimeException ex) {
            return CompletableFuture.failedFuture(ex);
        }
    }

    private static CompletionStage<Recovery> done(Recovery recovery) {
        return CompletableFuture.completedStage(recovery);
    }
}
