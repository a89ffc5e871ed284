package dev.fanout;

import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Which topics keep a history for spokes that recover after a reconnect, and how the hub recovers them: the options
 * of {@link WebSocketServerOptions#history()}. A topic that no rule matches keeps no history and costs what it cost
 * before history existed.
 *
 * <p>Immutable and thread-safe; {@link #none()} is the default.
 *
 * @param rules the rules, in order: a topic keeps the history of the first rule that matches it
 * @param maxRecoveredEvents the most events one recovery sends: a spoke that missed more is told
 *     {@code recovered:false} instead
 * @param store creates the store of the history; {@link HistoryStore#inMemory()} for a single node
 */
public record HistoryOptions(List<HistoryRule> rules, int maxRecoveredEvents, HistoryStore.Factory store) {

    /** Default {@link #maxRecoveredEvents()}. */
    public static final int DEFAULT_MAX_RECOVERED_EVENTS = 1000;

    /**
     * Validates the options and copies the rules.
     *
     * @throws IllegalArgumentException if {@code maxRecoveredEvents} is not positive
     * @throws NullPointerException if an argument or a rule is {@code null}
     */
    public HistoryOptions {
        rules = List.copyOf(rules);
        if (maxRecoveredEvents <= 0) {
            throw new IllegalArgumentException("maxRecoveredEvents must be positive, was " + maxRecoveredEvents);
        }
        Objects.requireNonNull(store, "store");
    }

    /**
     * No topic keeps a history.
     *
     * @return options without rules
     */
    public static HistoryOptions none() {
        return of(List.of());
    }

    /**
     * History for the topics of the rules, kept in memory, with the default {@link #maxRecoveredEvents()}.
     *
     * @param rules the rules, in order
     * @return the options
     */
    public static HistoryOptions of(List<HistoryRule> rules) {
        return new HistoryOptions(rules, DEFAULT_MAX_RECOVERED_EVENTS, HistoryStore.inMemory());
    }

    /**
     * A copy with another {@link #maxRecoveredEvents()}.
     *
     * @param count the most events one recovery sends, positive
     * @return the copy
     * @throws IllegalArgumentException if {@code count} is not positive
     */
    public HistoryOptions withMaxRecoveredEvents(int count) {
        return new HistoryOptions(this.rules, count, this.store);
    }

    /**
     * A copy with another store.
     *
     * @param factory creates the store
     * @return the copy
     */
    public HistoryOptions withStore(HistoryStore.Factory factory) {
        return new HistoryOptions(this.rules, this.maxRecoveredEvents, factory);
    }

    /**
     * The rule of a topic.
     *
     * @param topic the topic
     * @return the first rule that matches it, or {@code null} if it keeps no history
     */
    public @Nullable HistoryRule ruleFor(String topic) {
        for (HistoryRule rule : this.rules) {
            if (rule.matches(topic)) {
                return rule;
            }
        }
        return null;
    }
}
