package dev.fanout.internal;

import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * Finds and escapes unpaired UTF-16 surrogates: a high surrogate not followed by a low one, or a low surrogate not
 * preceded by a high one. Java and JavaScript strings may hold them, but they have no UTF-8 form, so a WebSocket text
 * frame cannot carry them raw (RFC 6455 requires valid UTF-8). Stateless.
 */
final class UnpairedSurrogates {

    private static final char[] HEX_DIGITS = "0123456789abcdef".toCharArray();

    private UnpairedSurrogates() {
    }

    /**
     * The index of the first unpaired surrogate in the text, or {@code -1} if there is none. Only text that holds a
     * surrogate at all costs more than one comparison per char.
     */
    static int indexIn(CharSequence text) {
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                }
                else {
                    return i;
                }
            }
        }
        return -1;
    }

    /**
     * Whether the text holds an unpaired surrogate.
     */
    static boolean in(CharSequence text) {
        return indexIn(text) >= 0;
    }

    /**
     * Whether any string of the JSON value, property names included, holds an unpaired surrogate.
     */
    static boolean inAnyString(JsonNode value) {
        if (value.isString()) {
            return in(value.stringValue());
        }
        if (value.isObject()) {
            for (Map.Entry<String, JsonNode> property : value.properties()) {
                if (in(property.getKey()) || inAnyString(property.getValue())) {
                    return true;
                }
            }
            return false;
        }
        if (value.isArray()) {
            for (JsonNode element : value) {
                if (inAnyString(element)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The serialized JSON with every unpaired surrogate written as a JSON <code>&#92;uXXXX</code> escape instead, so
     * that the text is valid UTF-8 and still parses to exactly the same strings; the same instance if there is none.
     *
     * <p>Correct for any JSON a generator wrote: outside of strings JSON is ASCII, and inside a string a backslash
     * always starts an escape of ASCII chars, so a raw surrogate never follows an unfinished escape.
     */
    static String escapeInJson(String json) {
        int first = indexIn(json);
        if (first < 0) {
            return json;
        }
        StringBuilder out = new StringBuilder(json.length() + 16);
        out.append(json, 0, first);
        int length = json.length();
        for (int i = first; i < length; i++) {
            char c = json.charAt(i);
            if (!Character.isSurrogate(c)) {
                out.append(c);
            }
            else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(json.charAt(i + 1))) {
                out.append(c).append(json.charAt(++i));
            }
            else {
                out.append("\\u").append(HEX_DIGITS[c >> 12]).append(HEX_DIGITS[(c >> 8) & 0xf])
                    .append(HEX_DIGITS[(c >> 4) & 0xf]).append(HEX_DIGITS[c & 0xf]);
            }
        }
        return out.toString();
    }
}
