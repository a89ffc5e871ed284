package dev.fanout.internal;

import org.jspecify.annotations.Nullable;

/**
 * The rule for a valid topic (and event type from a spoke): non-empty, at most the configured length, no whitespace
 * or control characters, no invisible format characters (Unicode category Cf: zero-width characters and bidi
 * controls, so that no topic can be made to look like another), no unpaired surrogates, and not starting with
 * {@code __}, which is reserved for control events. Letters of every script are allowed.
 */
final class TopicNames {

    static final String CONTROL_PREFIX = "__";

    private TopicNames() {
    }

    /**
     * Why the topic is invalid, or {@code null} if it is valid.
     */
    static @Nullable String problemWith(String topic, int maxLength) {
        if (topic.isEmpty()) {
            return "empty";
        }
        if (topic.length() > maxLength) {
            return "longer than " + maxLength + " chars";
        }
        if (topic.startsWith(CONTROL_PREFIX)) {
            return "starts with the reserved prefix " + CONTROL_PREFIX;
        }
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c)) {
                return "contains whitespace or a control character";
            }
        }
        return invisibleProblemWith(topic);
    }

    private static @Nullable String invisibleProblemWith(String topic) {
        if (UnpairedSurrogates.in(topic)) {
            return "contains an unpaired surrogate";
        }
        if (topic.codePoints().anyMatch((c) -> Character.getType(c) == Character.FORMAT)) {
            return "contains an invisible format character";
        }
        return null;
    }
}
