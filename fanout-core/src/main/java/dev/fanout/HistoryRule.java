package dev.fanout;

import java.time.Duration;
import java.util.Objects;

/**
 * Which topics keep a history, and how much: the topics that match the {@linkplain #pattern() pattern} keep their
 * latest {@linkplain #size() size} events, each for at most the {@linkplain #ttl() time to live}.
 *
 * <p>A pattern is either a topic name, which matches that topic only ({@code chat}), or a prefix followed by one
 * {@code *} at its end, which matches every topic that starts with the prefix ({@code prices.*} matches
 * {@code prices.ACME} and {@code prices.eu.SAP}; {@code *} alone matches every topic). A {@code *} anywhere else is
 * not allowed, so that matching costs one string comparison per rule.
 *
 * <p>The time to live also bounds how long an idle topic's history stays in memory: a topic that has no subscriber and
 * got no dispatch for that long is forgotten (its next event starts a new epoch).
 *
 * <p>Immutable and thread-safe.
 *
 * @param pattern the topic name or prefix pattern
 * @param size the most events kept per topic, positive
 * @param ttl the longest an event is kept, positive
 */
public record HistoryRule(String pattern, int size, Duration ttl) {

    /**
     * Validates the rule.
     *
     * @throws IllegalArgumentException if the pattern is empty, holds whitespace or a {@code *} before its end, or
     *     if the size or time to live is not positive
     * @throws NullPointerException if an argument is {@code null}
     */
    public HistoryRule {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(ttl, "ttl");
        if (pattern.isEmpty()) {
            throw new IllegalArgumentException("pattern must not be empty");
        }
        int star = pattern.indexOf('*');
        if (star >= 0 && star != pattern.length() - 1) {
            throw new IllegalArgumentException("pattern '" + pattern + "' may hold one '*', at its end only");
        }
        for (int i = 0; i < pattern.length(); i++) {
            if (Character.isWhitespace(pattern.charAt(i)) || Character.isISOControl(pattern.charAt(i))) {
                throw new IllegalArgumentException("pattern '" + pattern + "' must not hold whitespace or controls");
            }
        }
        if (size <= 0) {
            throw new IllegalArgumentException("size must be positive, was " + size);
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive, was " + ttl);
        }
    }

    /**
     * Whether the rule applies to a topic.
     *
     * @param topic the topic
     * @return {@code true} if the pattern matches it
     */
    public boolean matches(String topic) {
        int last = this.pattern.length() - 1;
        if (this.pattern.charAt(last) == '*') {
            return topic.regionMatches(0, this.pattern, 0, last);
        }
        return topic.equals(this.pattern);
    }
}
