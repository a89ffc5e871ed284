package dev.fanout.sample;

/**
 * The hub's rule for a valid topic, checked before publishing so that a bad topic gets a clear 400: non-empty, at
 * most the configured length, no whitespace, control or invisible format characters (Unicode category Cf), no
 * unpaired surrogates, not starting with {@code __} (reserved for control events). See {@code docs/protocol.md}.
 */
final class Topics {

    private static final String CONTROL_PREFIX = "__";

    private Topics() {
    }

    /**
     * Tells why a topic is invalid.
     *
     * @param topic the candidate
     * @param maxLength the longest topic accepted
     * @return the problem in a few words, or the empty string if the topic is valid
     */
    static String problemWith(String topic, int maxLength) {
        if (topic.isEmpty()) {
            return "topic is empty";
        }
        if (topic.length() > maxLength) {
            return "topic is longer than " + maxLength + " characters";
        }
        if (topic.startsWith(CONTROL_PREFIX)) {
            return "topic starts with the reserved prefix " + CONTROL_PREFIX;
        }
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c)) {
                return "topic contains whitespace or a control character";
            }
        }
        if (topic.codePoints().anyMatch((c) -> Character.getType(c) == Character.FORMAT)) {
            return "topic contains an invisible format character";
        }
        if (topic.codePoints().anyMatch((c) -> Character.getType(c) == Character.SURROGATE)) {
            return "topic contains an unpaired surrogate";
        }
        return "";
    }
}
