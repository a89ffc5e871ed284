package dev.fanout;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds the frames a spoke sends and reads the frames the hub sent, as docs/protocol.md defines them.
 *
 * <p>Stateless and thread-safe. Part of fanout-core's test-jar with {@link dev.fanout.testing.InMemoryRawSocket} and
 * {@link dev.fanout.testing.TestSpoke}, so every module's tests build frames the same way.
 */
public final class Frames {

    /** The JSON mapper the frames are written and read with. */
    public static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Frames() {
    }

    /**
     * A {@code __subscribe} control frame.
     *
     * @param topic the topic, any JSON value (a test may send a wrong type on purpose)
     * @return the frame
     */
    public static String subscribe(Object topic) {
        return control("__subscribe", topic);
    }

    /**
     * An {@code __unsubscribe} control frame.
     *
     * @param topic the topic, any JSON value
     * @return the frame
     */
    public static String unsubscribe(Object topic) {
        return control("__unsubscribe", topic);
    }

    public static String subscribe(String topic, String id) {
        return control("__subscribe", id, topic);
    }

    public static String unsubscribe(String topic, String id) {
        return control("__unsubscribe", id, topic);
    }

    public static String control(String type, String id, @Nullable Object topic) {
        Map<String, @Nullable Object> payload = new LinkedHashMap<>();
        payload.put("topic", topic);
        Map<String, @Nullable Object> envelope = new LinkedHashMap<>();
        envelope.put("type", type);
        envelope.put("id", id);
        envelope.put("payload", payload);
        return json(envelope);
    }

    /** The hub's {@code __ack} of a control event, as protocol 1.1 writes it. */
    public static String ack(String id, String topic) {
        return "{\"type\":\"__ack\",\"id\":\"" + id + "\",\"payload\":{\"topic\":\"" + topic + "\"}}";
    }

    /** The {@code type}, {@code id} and {@code payload.code} of a reply, as {@code "__error:id:code"}. */
    public static String replySummary(String frame) {
        JsonNode reply = parse(frame);
        String code = reply.path("payload").path("code").asString("");
        return reply.path("type").asString("") + ":" + reply.path("id").asString("") + (code.isEmpty() ? "" : ":" + code);
    }

    /**
     * A control frame {@code {"type": type, "payload": {"topic": topic}}}.
     *
     * @param type the control type, e.g. {@code __subscribe}
     * @param topic the topic, any JSON value or {@code null}
     * @return the frame
     */
    public static String control(String type, @Nullable Object topic) {
        Map<String, @Nullable Object> payload = new LinkedHashMap<>();
        payload.put("topic", topic);
        return json(Map.of("type", type, "payload", payload));
    }

    /**
     * An event frame {@code {"type": type, "payload": payload}}.
     *
     * @param type the event type
     * @param payload the payload, any JSON-serializable value or {@code null}
     * @return the frame
     */
    public static String event(String type, @Nullable Object payload) {
        Map<String, @Nullable Object> envelope = new LinkedHashMap<>();
        envelope.put("type", type);
        envelope.put("payload", payload);
        return json(envelope);
    }

    /**
     * An event frame with an id, {@code {"type": type, "id": id, "payload": payload}}.
     *
     * @param type the event type
     * @param id the correlation id
     * @param payload the payload, any JSON-serializable value or {@code null}
     * @return the frame
     */
    public static String event(String type, String id, @Nullable Object payload) {
        Map<String, @Nullable Object> envelope = new LinkedHashMap<>();
        envelope.put("type", type);
        envelope.put("id", id);
        envelope.put("payload", payload);
        return json(envelope);
    }

    /**
     * Serializes a value as JSON.
     *
     * @param value the value
     * @return its JSON text
     */
    public static String json(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    /**
     * Encodes text as UTF-8, for binary frames.
     *
     * @param text the text
     * @return its UTF-8 bytes
     */
    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Parses a frame the hub sent.
     *
     * @param frame the frame's text
     * @return its JSON tree
     */
    public static JsonNode parse(String frame) {
        return MAPPER.readTree(frame);
    }
}
