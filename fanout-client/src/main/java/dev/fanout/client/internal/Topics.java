package dev.fanout.client.internal;

import java.util.Objects;

/**
 * The protocol's rule for a topic, as far as a spoke can check it: non-empty, no whitespace, control or invisible
 * format characters (Unicode Cf), no unpaired surrogates, not starting with {@code __}. The length limit is the hub's
 * setting; the hub answers a longer topic with {@code invalid_topic}.
 */
final class Topics {

    static final String CONTROL_PREFIX = "__";

    private Topics() {
    }

    /**
     * Returns the topic if it is valid.
     *
     * @throws IllegalArgumentException if it is not
     */
    static String requireValid(String topic) {
        Objects.requireNonNull(topic, "topic");
        if (topic.isEmpty()) {
            throw new IllegalArgumentException("Topic must not be empty");
        }
        if (topic.startsWith(CONTROL_PREFIX)) {
            throw new IllegalArgumentException("Topic must not start with " + CONTROL_PREFIX + ": " + topic);
        }
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c)) {
                throw new IllegalArgumentException("Topic must not contain whitespace or control characters");
            }
            if (Character.isHighSurrogate(c) && i + 1 < topic.length() && Character.isLowSurrogate(topic.charAt(i + 1))) {
                i++;
            }
            else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("Topic must not contain an unpaired surrogate");
            }
        }
        if (topic.codePoints().anyMatch((c) -> Character.getType(c) == Character.FORMAT)) {
            throw new IllegalArgumentException("Topic must not contain invisible format characters");
        }
        return topic;
    }
}
