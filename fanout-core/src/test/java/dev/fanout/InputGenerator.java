package dev.fanout;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

import org.jspecify.annotations.Nullable;

/**
 * Generates inbound frames and topics for the property tests, reproducibly: every case gets its own seed, shown in
 * the test name. The base seed is fixed so that the build is deterministic; run with
 * {@code -Dfanout.generator.seed=<n>} to explore other inputs, and with the seed of a failed case to replay it.
 *
 * <p>A hand-rolled generator instead of jqwik: jqwik 1.10 asks that AI agents, which write parts of this project, do
 * not use it.
 */
final class InputGenerator {

    static final long BASE_SEED = Long.getLong("fanout.generator.seed", 0x5EEDF4A0L);

    private static final String TOPIC_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFXYZ0123456789.-_:/#@+*!?=~()[]{}<>|'\"\\"
            + "éüßçø天気ニュースπΩЖ€£عربيעבריתहिंदीไทย한국ᎠᏂ";

    private static final String[] SUPPLEMENTARY = { "\uD83D\uDE00", "\uD834\uDD1E", "\uD840\uDC00" };

    private static final char[] WHITESPACE = { ' ', '\t', '\n', '\r', '\u000b', '\f', '\u001c', '\u001f', '\u0085',
            '\u00a0', '\u1680', '\u2000', '\u2005', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000' };

    /** Invisible format characters (Unicode category Cf): zero-width, bidi controls, BOM, soft hyphen, a tag. */
    private static final String[] FORMAT_CHARS = { "\u00ad", "\u200b", "\u200c", "\u200d", "\u200e", "\u200f",
        "\u202a", "\u202e", "\u2060", "\u2066", "\u2069", "\ufeff", "\ufff9", "\udb40\udc01" };

    private static final String[] JSON_FRAGMENTS = { "{", "}", "[", "]", ":", ",", "\"", "\\", "\"type\"",
            "\"payload\"", "\"topic\"", "\"id\"", "\"__subscribe\"", "\"__unsubscribe\"", "{\"type\":\"", "null",
            "true", "1e999", "-0", "\\u0000", "\\ud800", "/*", "//" };

    private static final int[] ODD_CODE_POINTS = { 0x0, 0x1f, 0x7f, 0x85, 0xad, 0x200b, 0x200d, 0x202e, 0x2028,
        0x2029, 0x2066, 0xd7ff, 0xe000, 0xfdd0, 0xfdef, 0xfeff, 0xfffd, 0xfffe, 0xffff, 0x1fffe, 0x1ffff, 0x10fffe,
        0x10ffff, 0x1f600, 0xe0001 };

    private final SplittableRandom random;

    InputGenerator(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** Seeds for {@code count} cases of one property, distinct per property {@code salt}. */
    static LongStream seeds(String salt, int count) {
        return new SplittableRandom(BASE_SEED ^ ((long) salt.hashCode() << 32)).longs(count);
    }

    int between(int min, int max) {
        return this.random.nextInt(min, max + 1);
    }

    boolean chance(double probability) {
        return this.random.nextDouble() < probability;
    }

    <T extends @Nullable Object> T oneOf(List<T> values) {
        return values.get(this.random.nextInt(values.size()));
    }

    /** Any string at all: printable text, JSON-ish fragments, whitespace and control characters, lone surrogates. */
    String anyString(int maxLength) {
        int length = between(0, maxLength);
        StringBuilder out = new StringBuilder(length);
        while (out.length() < length) {
            switch (this.random.nextInt(6)) {
                case 0 -> out.append((char) between(0x20, 0x7e));
                case 1 -> out.append(JSON_FRAGMENTS[this.random.nextInt(JSON_FRAGMENTS.length)]);
                case 2 -> out.append(WHITESPACE[this.random.nextInt(WHITESPACE.length)]);
                case 3 -> out.append((char) between(0, 0x9f));
                case 4 -> out.append((char) between(0, 0xffff));
                default -> out.append(SUPPLEMENTARY[this.random.nextInt(SUPPLEMENTARY.length)]);
            }
        }
        return out.toString();
    }

    /**
     * A string of odd UTF-16: unpaired high and low surrogates (alone, doubled, reversed, at either end), surrogate
     * pairs, noncharacters ({@code U+FFFE}, {@code U+FDD0}, {@code U+10FFFF}…), format and control characters, and any
     * code point at all.
     */
    String oddString(int maxLength) {
        int length = between(0, maxLength);
        StringBuilder out = new StringBuilder(length + 2);
        while (out.length() < length) {
            switch (this.random.nextInt(7)) {
                case 0 -> out.append((char) between(0xd800, 0xdbff));
                case 1 -> out.append((char) between(0xdc00, 0xdfff));
                case 2 -> out.append((char) between(0xdc00, 0xdfff)).append((char) between(0xd800, 0xdbff));
                case 3 -> out.appendCodePoint(ODD_CODE_POINTS[this.random.nextInt(ODD_CODE_POINTS.length)]);
                case 4 -> out.appendCodePoint(between(0, Character.MAX_CODE_POINT));
                case 5 -> out.append((char) between(0, 0xffff));
                default -> out.append((char) between(0x20, 0x7e));
            }
        }
        return out.toString();
    }

    /** A JSON-serializable value whose strings, property names included, are {@link #oddString odd strings}. */
    Object oddPayload(int maxLength) {
        return switch (this.random.nextInt(3)) {
            case 0 -> oddString(maxLength);
            case 1 -> Map.of("user", oddString(maxLength), oddString(4) + "k", List.of(oddString(maxLength), 1));
            default -> List.of(oddString(maxLength), Map.of("text", oddString(maxLength)));
        };
    }

    /** Any bytes at all; sometimes a UTF-8 text with some bytes flipped. */
    byte[] anyBytes(int maxLength) {
        if (chance(0.3)) {
            byte[] text = anyString(maxLength).getBytes(StandardCharsets.UTF_8);
            for (int flips = between(0, 3); flips > 0 && text.length > 0; flips--) {
                text[this.random.nextInt(text.length)] = (byte) this.random.nextInt(256);
            }
            return text;
        }
        byte[] bytes = new byte[between(0, maxLength)];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) this.random.nextInt(256);
        }
        return bytes;
    }

    /** A topic that satisfies the topic rule. */
    String validTopic(int maxLength) {
        int length = between(1, maxLength);
        StringBuilder out = new StringBuilder(length);
        while (out.length() < length) {
            String supplementary = SUPPLEMENTARY[this.random.nextInt(SUPPLEMENTARY.length)];
            if (chance(0.05) && out.length() + supplementary.length() <= length) {
                out.append(supplementary);
            }
            else {
                out.append(TOPIC_CHARS.charAt(this.random.nextInt(TOPIC_CHARS.length())));
            }
        }
        if (out.length() >= 2 && out.charAt(0) == '_' && out.charAt(1) == '_') {
            out.setCharAt(0, 'a');
        }
        return out.toString();
    }

    /** A topic that breaks the topic rule in one of its ways. */
    String invalidTopic(int maxLength) {
        return switch (this.random.nextInt(7)) {
            case 0 -> "";
            case 1 -> validTopic(maxLength) + "x".repeat(maxLength);
            case 2 -> insert(validTopic(maxLength), WHITESPACE[this.random.nextInt(WHITESPACE.length)]);
            case 3 -> insert(validTopic(maxLength), chance(0.5) ? (char) between(0, 0x1f) : (char) between(0x7f, 0x9f));
            case 4 -> insert(validTopic(maxLength), FORMAT_CHARS[this.random.nextInt(FORMAT_CHARS.length)]);
            case 5 -> insert(validTopic(maxLength), (char) between(0xd800, 0xdfff));
            default -> "__" + validTopic(Math.max(1, maxLength - 2));
        };
    }

    /** A topic candidate that is valid about half of the time. */
    String topicCandidate(int maxLength) {
        return chance(0.5) ? validTopic(maxLength) : (chance(0.5) ? invalidTopic(maxLength) : anyString(maxLength));
    }

    /**
     * A frame shaped like an event or control event, with any mix of right and wrong fields, sometimes mangled (cut,
     * spliced, or given a duplicate {@code "type"}).
     */
    String structuredFrame(List<String> topics, int maxTopicLength) {
        Map<String, @Nullable Object> frame = new LinkedHashMap<>();
        if (chance(0.95)) {
            frame.put("type", typeValue(topics, maxTopicLength));
        }
        if (chance(0.3)) {
            frame.put("id", oneOf(List.of("id-" + between(0, 9), 17, false)));
        }
        if (chance(0.8)) {
            frame.put("payload", payloadValue(topics, maxTopicLength));
        }
        if (chance(0.1)) {
            frame.put(anyString(6), anyString(6));
        }
        String json = Frames.json(frame);
        return chance(0.15) ? mangle(json) : json;
    }

    private @Nullable Object typeValue(List<String> topics, int maxTopicLength) {
        return switch (this.random.nextInt(9)) {
            case 0, 1 -> "__subscribe";
            case 2, 3 -> "__unsubscribe";
            case 4 -> oneOf(topics);
            case 5 -> "__" + anyString(4);
            case 6 -> topicCandidate(maxTopicLength);
            default -> oneOf(Arrays.asList(7, true, null, "", List.of("__subscribe"), Map.of("type", "a")));
        };
    }

    private @Nullable Object payloadValue(List<String> topics, int maxTopicLength) {
        return switch (this.random.nextInt(6)) {
            case 0, 1, 2 -> mapOf("topic", chance(0.9) ? oneOf(topics) : topicCandidate(maxTopicLength));
            case 3 -> mapOf("topic", oneOf(Arrays.asList(1, null, List.of(oneOf(topics)), Map.of())));
            case 4 -> oneOf(topics);
            default -> oneOf(Arrays.asList(null, 1.5, "x", List.of(1, 2)));
        };
    }

    private static Map<String, @Nullable Object> mapOf(String key, @Nullable Object value) {
        Map<String, @Nullable Object> map = new LinkedHashMap<>();
        map.put(key, value);
        return map;
    }

    private String mangle(String json) {
        int at = this.random.nextInt(json.length() + 1);
        return switch (this.random.nextInt(4)) {
            case 0 -> json.substring(0, at);
            case 1 -> json.substring(0, at) + anyString(3) + json.substring(at);
            case 2 -> "{\"type\":\"__subscribe\"," + json.substring(1);
            default -> json + oneOf(List.of(" x", "}", ",", "{}", " \n"));
        };
    }

    private String insert(String text, char c) {
        return insert(text, String.valueOf(c));
    }

    private String insert(String text, String inserted) {
        int at = this.random.nextInt(text.length() + 1);
        if (at > 0 && at < text.length() && Character.isHighSurrogate(text.charAt(at - 1))) {
            at++;
        }
        return text.substring(0, at) + inserted + text.substring(at);
    }
}
