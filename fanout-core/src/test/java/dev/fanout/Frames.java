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

    static String subscribe(String topic, String id) {
        return control("__subscribe", id, topic);
    }

    static String unsubscribe(String topic, String id) {
        return control("__unsubscribe", id, topic);
    }

    static String control(String type, String id, @Nullable Object topic) {
        Map<String, @Nullable Object> payload = new LinkedHashMap<>();
        payload.put("topic", topic);
        Map<String, @Nullable Object> envelope = new LinkedHashMap<>();
        envelope.put("type", type);
        envelope.put("id", id);
        envelope.put("payload", payload);
        return json(envelope);
    }

    /** The hub's {@code __ack} of a control event, as protocol 1.1 writes it. */
    static String ack(String id, String topic) {
        return "{\"type\":\"__ack\",\"id\":\"" + id + "\",\"payload\":{\"topic\":\"" + topic + "\"}}";
    }

    /** The {@code type}, {@code id} and {@code payload.code} of a reply, as {@code "__error:id:code"}. */
    static String replySummary(String frame) {
        JsonNode reply = parse(frame);
        String code = reply.path("payload").path("code").asString("");
        return reply.path("type").asString("") + ":" + reply.path("id").asString("") + (code.isEmpty() ? "" : ":" + code);
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
