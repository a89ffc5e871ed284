package dev.fanout.internal;

import java.io.StringWriter;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.ObjectMapper;

import dev.fanout.StreamPosition;

/**
 * Writes the hub's replies of protocol 1.1, {@code __ack} and {@code __error}, as docs/protocol.md defines them.
 * Thread-safe.
 */
final class ControlReplies {

    static final String ACK = "__ack";

    static final String ERROR = "__error";

    private final ObjectMapper mapper;

    ControlReplies(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** {@code {"type":"__ack","id":…,"payload":{"topic":…}}}. */
    String ack(String id, String topic) {
        return write(ACK, id, (payload) -> payload.writeStringProperty("topic", topic));
    }

    /**
     * {@code {"type":"__ack","id":…,"payload":{"topic":…,"epoch":…,"offset":…,"recovered":…}}}: the acknowledgement
     * of a subscribe, with the topic's position if it has one and whether recovery succeeded if it was asked for.
     */
    String ack(String id, String topic, Recovery recovery) {
        return write(ACK, id, (payload) -> {
            payload.writeStringProperty("topic", topic);
            StreamPosition position = recovery.position();
            if (position != null) {
                payload.writeStringProperty("epoch", position.epoch());
                payload.writeNumberProperty("offset", position.offset());
            }
            Boolean recovered = recovery.recovered();
            if (recovered != null) {
                payload.writeBooleanProperty("recovered", recovered);
            }
        });
    }

    /** {@code {"type":"__error","id":…,"payload":{"topic":…,"code":…,"message":…}}}, without the topic if unknown. */
    String error(String id, @Nullable String topic, String code, String message) {
        return write(ERROR, id, (payload) -> {
            if (topic != null) {
                payload.writeStringProperty("topic", topic);
            }
            payload.writeStringProperty("code", code);
            payload.writeStringProperty("message", message);
        });
    }

    private String write(String type, String id, Consumer<JsonGenerator> payloadMembers) {
        StringWriter out = new StringWriter(96);
        try (JsonGenerator generator = this.mapper.createGenerator(out)) {
            generator.writeStartObject();
            generator.writeStringProperty("type", type);
            generator.writeStringProperty("id", id);
            generator.writeObjectPropertyStart("payload");
            payloadMembers.accept(generator);
            generator.writeEndObject();
            generator.writeEndObject();
        }
        catch (JacksonException ex) {
            throw new IllegalStateException("Cannot write a " + type + " reply", ex);
        }
        return out.toString();
    }
}
