package dev.fanout.internal;

import java.io.StringWriter;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;

import dev.fanout.ErrorCodes;
import dev.fanout.Event;
import dev.fanout.HubStatistics.IgnoredReason;

/**
 * Reads and writes the wire form of an event, {@code {"type":…,"id":…,"payload":…}}, as docs/protocol.md defines
 * it. Thread-safe.
 */
final class EventCodec {

    static final String SUBSCRIBE = "__subscribe";

    static final String UNSUBSCRIBE = "__unsubscribe";

    private static final int MAX_PARSER_MESSAGE_CHARS = 200;

    private final ObjectMapper mapper;

    private final ObjectReader treeReader;

    private final int maxTopicLength;

    EventCodec(ObjectMapper mapper, int maxTopicLength) {
        this.mapper = mapper;
        this.treeReader = strictReader(mapper);
        this.maxTopicLength = maxTopicLength;
    }

    /**
     * The hub's own reader of inbound messages, stricter than the user's mapper (which stays as it is): trailing
     * data and duplicate member names are malformed, so that {@code {"type":"a","type":"__subscribe"}} cannot mean
     * what a later key says.
     */
    private static ObjectReader strictReader(ObjectMapper mapper) {
        return mapper.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    }

    /**
     * Serializes the event once, for every connection it goes to, as a frame that is always valid UTF-8: unpaired
     * surrogates in its strings are written as <code>&#92;uXXXX</code> escapes (see {@link #validUtf8}).
     *
     * @throws IllegalArgumentException if the payload cannot be serialized by the mapper
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
        return validUtf8(out.toString());
    }

    /**
     * The frame with its unpaired surrogates escaped, decided once per dispatch so that no socket ever fails to
     * encode it; scans the frame and copies it only when one is present.
     */
    private static String validUtf8(String frame) {
        return UnpairedSurrogates.escapeInJson(frame);
    }

    InboundMessage decode(String text) {
        try {
            return interpretWellFormed(this.treeReader.readTree(text));
        }
        catch (JacksonException ex) {
            return malformed(ex);
        }
    }

    InboundMessage decode(byte[] utf8) {
        try {
            return interpretWellFormed(this.treeReader.readTree(utf8));
        }
        catch (JacksonException ex) {
            return malformed(ex);
        }
    }

    private static InboundMessage malformed(JacksonException ex) {
        return new InboundMessage.Ignored(IgnoredReason.MALFORMED_JSON, "malformed JSON: "
                + RateLimitedLog.excerpt(ex.getOriginalMessage(), MAX_PARSER_MESSAGE_CHARS));
    }

    /**
     * Refuses a message with a string that holds an unpaired surrogate (possible through a JSON escape such as
     * <code>"&#92;udc00"</code>), since it names nothing valid and could not be passed on as UTF-8, then interprets
     * it.
     */
    private InboundMessage interpretWellFormed(@Nullable JsonNode message) {
        if (message != null && UnpairedSurrogates.inAnyString(message)) {
            return new InboundMessage.Ignored(IgnoredReason.INVALID_TEXT,
                    "a string holds an unpaired UTF-16 surrogate");
        }
        return interpret(message);
    }

    private InboundMessage interpret(@Nullable JsonNode message) {
        if (message == null || !message.isObject()) {
            return new InboundMessage.Ignored(IgnoredReason.NOT_AN_EVENT, "not a JSON object");
        }
        JsonNode typeNode = message.get("type");
        if (typeNode == null || !typeNode.isString()) {
            return new InboundMessage.Ignored(IgnoredReason.NOT_AN_EVENT, "missing or non-string \"type\"");
        }
        String type = typeNode.stringValue();
        if (type.startsWith(TopicNames.CONTROL_PREFIX)) {
            return interpretControl(type, message);
        }
        String typeProblem = TopicNames.problemWith(type, this.maxTopicLength);
        if (typeProblem != null) {
            return new InboundMessage.Ignored(IgnoredReason.INVALID_TYPE,
                    "invalid event type (" + typeProblem + ")");
        }
        JsonNode idNode = message.get("id");
        if (idNode != null && !idNode.isNull() && !idNode.isString()) {
            return new InboundMessage.Ignored(IgnoredReason.NOT_AN_EVENT, "non-string \"id\"");
        }
        String id = (idNode == null || idNode.isNull()) ? null : idNode.stringValue();
        JsonNode payload = message.get("payload");
        if (payload != null && payload.isNull()) {
            payload = null;
        }
        return new InboundMessage.SpokeEvent(Event.ofJson(type, id, payload, this.mapper));
    }

    private InboundMessage interpretControl(String type, JsonNode message) {
        String id = controlReplyId(message.get("id"));
        boolean subscribe = SUBSCRIBE.equals(type);
        if (!subscribe && !UNSUBSCRIBE.equals(type)) {
            String problem = "unknown control event " + RateLimitedLog.excerpt(type);
            return (id == null) ? new InboundMessage.Ignored(IgnoredReason.UNKNOWN_CONTROL, problem)
                    : new InboundMessage.RefusedControl(IgnoredReason.UNKNOWN_CONTROL, problem, id, null,
                            ErrorCodes.UNKNOWN_TYPE);
        }
        JsonNode payload = message.get("payload");
        JsonNode topicNode = (payload != null) ? payload.get("topic") : null;
        if (topicNode == null || !topicNode.isString()) {
            return invalidTopic(type + " without a string payload.topic", id, null);
        }
        String topic = topicNode.stringValue();
        String problem = TopicNames.problemWith(topic, this.maxTopicLength);
        if (problem != null) {
            return invalidTopic(type + " of an invalid topic (" + problem + ")", id,
                    (topic.length() <= this.maxTopicLength) ? topic : null);
        }
        return subscribe ? new InboundMessage.Subscribe(topic, id) : new InboundMessage.Unsubscribe(topic, id);
    }

    /**
     * The id a control event's reply carries: a string id asks for a reply (protocol 1.1); a missing, {@code null} or
     * non-string id is no id, so the event stays silent as in protocol 1.
     */
    private static @Nullable String controlReplyId(@Nullable JsonNode idNode) {
        return (idNode != null && idNode.isString()) ? idNode.stringValue() : null;
    }

    private static InboundMessage invalidTopic(String problem, @Nullable String id, @Nullable String topic) {
        return (id == null) ? new InboundMessage.Ignored(IgnoredReason.INVALID_TOPIC, problem)
                : new InboundMessage.RefusedControl(IgnoredReason.INVALID_TOPIC, problem, id, topic,
                        ErrorCodes.INVALID_TOPIC);
    }
}
