package dev.fanout.redis;

import java.nio.charset.StandardCharsets;

/**
 * Names the Redis keys of a topic's history: {@code <prefix>{<topic>}:stream} (its entries) and
 * {@code <prefix>{<topic>}:meta} (its epoch and latest offset). Topic names are chosen by whoever subscribes, so
 * the topic is encoded: letters, digits and {@code . _ ~ -} stay as they are, every other character becomes the
 * {@code %XX} escapes of its UTF-8 bytes, and an unpaired surrogate becomes {@code %uXXXX}. The encoding is
 * injective, so two topics never share a key, and the braces around it are always the key's only hash tag, so both
 * keys of a topic share one slot of a Redis Cluster. Thread-safe.
 */
final class HistoryKeys {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final String prefix;

    HistoryKeys(String prefix) {
        this.prefix = prefix;
    }

    String streamOf(String topic) {
        return keyOf(topic, "}:stream");
    }

    String metaOf(String topic) {
        return keyOf(topic, "}:meta");
    }

    private String keyOf(String topic, String suffix) {
        StringBuilder key = new StringBuilder(this.prefix.length() + topic.length() + 16).append(this.prefix)
            .append('{');
        encode(topic, key);
        return key.append(suffix).toString();
    }

    static void encode(String topic, StringBuilder out) {
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (isKept(c)) {
                out.append(c);
            }
            else if (Character.isHighSurrogate(c) && i + 1 < topic.length()
                    && Character.isLowSurrogate(topic.charAt(i + 1))) {
                escape(topic.substring(i, i + 2), out);
                i++;
            }
            else if (Character.isSurrogate(c)) {
                out.append("%u").append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF])
                    .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
            }
            else {
                escape(String.valueOf(c), out);
            }
        }
    }

    private static void escape(String chars, StringBuilder out) {
        for (byte b : chars.getBytes(StandardCharsets.UTF_8)) {
            out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
        }
    }

    private static boolean isKept(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
                || c == '~' || c == '-';
    }
}
