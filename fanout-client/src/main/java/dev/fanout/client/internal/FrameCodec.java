package dev.fanout.client.internal;

import java.io.StringWriter;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;

import dev.fanout.Event;
import dev.fanout.client.StreamPosition;

/**
 * Reads and writes the wire form of docs/protocol.md from the spoke's side: events, the {@code __subscribe} /
 * {@code __unsubscribe} requests with an id (and {@code since} for recovery, {@code latest} for a snapshot), and the
 * hub's {@code __ack} / {@code __error} replies. Thread-safe.
 */
final class FrameCodec {

    static final String SUBSCRIBE = "__subscribe";

    static final String UNSUBSCRIBE = "__unsubscribe";

    static final String ACK = "__ack";

    static final String ERROR = "__error";

    private static final int MAX_EXCERPT_CHARS = 120;

    private final ObjectMapper mapper;

    private final ObjectReader treeReader;

    FrameCodec(ObjectMapper mapper) {
        this.mapper = mapper;
        this.treeReader = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /**
     * Serializes an event of the app.
     *
     * @throws IllegalArgumentException if the mapper cannot serialize the payload
     */
    String encode(Event event) {
        StringWriter out = new StringWriter(64);
        try (JsonGenerator generator = this.mapper.createGenerator(out)) {
            generator.writeStartObject();
            generator.writeStringProperty("type", event.type());
            if (event.id() != null) {
                generator.writeStringProperty("id", event.id());
            }
            if (event.payload() != null) {
                generator.writePOJOProperty("payload", event.payload());
            }
            generator.writeEndObject();
        }
        catch (JacksonException ex) {
            throw new IllegalArgumentException("Cannot serialize the payload of event '" + event.type() + "'", ex);
        }
        return out.toString();
    }

    /**
     * {@code {"type":"__subscribe","id":…,"payload":{"topic":…,"since":{"epoch":…,"offset":…},"latest":true}}},
     * with {@code since} only when a position is given (and its {@code epoch} only when known), and {@code latest}
     * only when asked for.
     */
    String subscribe(String id, String topic, @Nullable StreamPosition since, boolean latest) {
        return control(SUBSCRIBE, id, topic, since, latest);
    }

    /**
     * {@code {"type":"__unsubscribe","id":…,"payload":{"topic":…}}}.
     */
    String unsubscribe(String id, String topic) {
        return control(UNSUBSCRIBE, id, topic, null, false);
    }

    private String control(String type, String id, String topic, @Nullable StreamPosition since, boolean latest) {
        StringWriter out = new StringWriter(64);
        try (JsonGenerator generator = this.mapper.createGenerator(out)) {
            generator.writeStartObject();
            generator.writeStringProperty("type", type);
            generator.writeStringProperty("id", id);
            generator.writeObjectPropertyStart("payload");
            generator.writeStringProperty("topic", topic);
            if (since != null) {
                generator.writeObjectPropertyStart("since");
                if (since.epoch() != null) {
                    generator.writeStringProperty("epoch", since.epoch());
                }
                generator.writeNumberProperty("offset", since.offset());
                generator.writeEndObject();
            }
            if (latest) {
                generator.writeBooleanProperty("latest", true);
            }
            generator.writeEndObject();
            generator.writeEndObject();
        }
        return out.toString();
    }

    /**
     * Interprets one message from the hub; never throws.
     */
    InboundFrame decode(String text) {
        JsonNode message;
        try {
            message = this.treeReader.readTree(text);
        }
        catch (JacksonException ex) {
            return new InboundFrame.Ignored("malformed JSON: " + excerpt(ex.getOriginalMessage()));
        }
        if (message == null || !message.isObject()) {
            return new InboundFrame.Ignored("not a JSON object");
        }
        String type = stringOrNull(message.get("type"));
        if (type == null || type.isEmpty()) {
            return new InboundFrame.Ignored("missing, empty or non-string \"type\"");
        }
        JsonNode idNode = message.get("id");
        if (idNode != null && !idNode.isNull() && !idNode.isString()) {
            return new InboundFrame.Ignored("non-string \"id\"");
        }
        String id = stringOrNull(idNode);
        JsonNode payload = message.get("payload");
        if (payload != null && payload.isNull()) {
            payload = null;
        }
        if (ACK.equals(type)) {
            return ack(id, payload);
        }
        if (ERROR.equals(type)) {
            return error(id, payload);
        }
        if (type.startsWith(Topics.CONTROL_PREFIX)) {
            return new InboundFrame.Ignored("unknown control event " + excerpt(type));
        }
        return new InboundFrame.EventFrame(Event.ofJson(type, id, payload, this.mapper),
                nonNegativeLongOrNull(message.get("offset")));
    }

    private static InboundFrame ack(@Nullable String id, @Nullable JsonNode payload) {
        if (id == null) {
            return new InboundFrame.Ignored("__ack without an id");
        }
        if (payload == null || !payload.isObject()) {
            return new InboundFrame.Ack(id, null, null, null);
        }
        JsonNode recovered = payload.get("recovered");
        return new InboundFrame.Ack(id, stringOrNull(payload.get("epoch")),
                nonNegativeLongOrNull(payload.get("offset")),
                (recovered != null && recovered.isBoolean()) ? recovered.booleanValue() : null);
    }

    private InboundFrame error(@Nullable String id, @Nullable JsonNode payload) {
        String code = (payload != null && payload.isObject()) ? stringOrNull(payload.get("code")) : null;
        if (code == null) {
            return new InboundFrame.Ignored("__error without a string payload.code");
        }
        String message = stringOrNull(payload.get("message"));
        return new InboundFrame.ErrorReply(id, Event.ofJson(ERROR, id, payload, this.mapper), code,
                (message == null) ? "" : message);
    }

    /**
     * The topic of an {@code __error}'s payload, if it has one.
     */
    static @Nullable String topicOf(InboundFrame.ErrorReply error) {
        Object payload = error.event().payload();
        return (payload instanceof JsonNode node) ? stringOrNull(node.get("topic")) : null;
    }

    private static @Nullable String stringOrNull(@Nullable JsonNode node) {
        return (node != null && node.isString()) ? node.stringValue() : null;
    }

    private static @Nullable Long nonNegativeLongOrNull(@Nullable JsonNode node) {
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) {
            return null;
        }
        long value = node.longValue();
        return (value < 0) ? null : value;
    }

    /**
     * A short, printable excerpt of text from the hub, safe to log.
     */
    static String excerpt(@Nullable CharSequence untrusted) {
        if (untrusted == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(untrusted.length(), MAX_EXCERPT_CHARS) + 16);
        for (int i = 0; i < untrusted.length() && out.length() < MAX_EXCERPT_CHARS; i++) {
            char c = untrusted.charAt(i);
            out.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        if (untrusted.length() > MAX_EXCERPT_CHARS) {
            out.append("…(").append(untrusted.length()).append(" chars)");
        }
        return out.toString();
    }
}
