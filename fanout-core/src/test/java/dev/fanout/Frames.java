package dev.fanout;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds the frames a spoke sends and reads the frames the hub sent, as docs/protocol.md defines them.
 */
final class Frames {

    static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Frames() {
    }

    static String subscribe(Object topic) {
        return control("__subscribe", topic);
    }

    static String unsubscribe(Object topic) {
        return control("__unsubscribe", topic);
    }

    static String control(String type, @Nullable Object topic) {
        Map<String, @Nullable Object> payload = new LinkedHashMap<>();
        payload.put("topic", topic);
        return json(Map.of("type", type, "payload", payload));
    }

    static String event(String type, @Nullable Object payload) {
        Map<String, @Nullable Object> envelope = new LinkedHashMap<>();
        envelope.put("type", type);
        envelope.put("payload", payload);
        return json(envelope);
    }

    static String event(String type, String id, @Nullable Object payload) {
        Map<String, @Nullable Object> envelope = new LinkedHashMap<>();
        envelope.put("type", type);
        envelope.put("id", id);
        envelope.put("payload", payload);
        return json(envelope);
    }

    static String json(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static JsonNode parse(String frame) {
        return MAPPER.readTree(frame);
    }
}
