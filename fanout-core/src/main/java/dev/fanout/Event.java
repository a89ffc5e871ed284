package dev.fanout;

import java.util.Objects;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * One event: a {@linkplain #type() type} (the topic), an optional correlation {@linkplain #id() id} and an optional
 * {@linkplain #payload() payload}. On the wire it is the JSON object {@code {"type":…,"id":…,"payload":…}}.
 *
 * <p>Immutable and thread-safe. Events received from spokes carry their payload as a Jackson {@link JsonNode} and
 * convert it with the hub's mapper through {@link #payloadAs(Class)}; events created with {@link #of} may carry any
 * object the hub's mapper can serialize.
 */
public final class Event {

    private static final ObjectMapper DEFAULT_MAPPER = JsonMapper.builder().build();

    private final String type;

    private final @Nullable String id;

    private final @Nullable Object payload;

    private final ObjectMapper payloadMapper;

    private Event(String type, @Nullable String id, @Nullable Object payload, ObjectMapper payloadMapper) {
        Objects.requireNonNull(type, "type");
        if (type.isEmpty()) {
            throw new IllegalArgumentException("Event type must not be empty");
        }
        this.type = type;
        this.id = id;
        this.payload = payload;
        this.payloadMapper = Objects.requireNonNull(payloadMapper, "payloadMapper");
    }

    /**
     * Creates an event without id or payload.
     *
     * @param type the type (topic), non-empty
     * @return the event
     * @throws IllegalArgumentException if {@code type} is empty
     */
    public static Event of(String type) {
        return new Event(type, null, null, DEFAULT_MAPPER);
    }

    /**
     * Creates an event with a payload and no id.
     *
     * @param type the type (topic), non-empty
     * @param payload any value the hub's mapper can serialize, or {@code null} for none
     * @return the event
     * @throws IllegalArgumentException if {@code type} is empty
     */
    public static Event of(String type, @Nullable Object payload) {
        return new Event(type, null, payload, DEFAULT_MAPPER);
    }

    /**
     * Creates an event with an id and a payload.
     *
     * @param type the type (topic), non-empty
     * @param id the correlation id, or {@code null} for none
     * @param payload any value the hub's mapper can serialize, or {@code null} for none
     * @return the event
     * @throws IllegalArgumentException if {@code type} is empty
     */
    public static Event of(String type, @Nullable String id, @Nullable Object payload) {
        return new Event(type, id, payload, DEFAULT_MAPPER);
    }

    /**
     * Creates an event whose JSON payload {@link #payloadAs(Class)} converts with the given mapper: how a hub hands
     * its listeners the events it parsed.
     *
     * @param type the type (topic), non-empty
     * @param id the correlation id, or {@code null} for none
     * @param payload the JSON payload, or {@code null} for none
     * @param payloadMapper the mapper {@link #payloadAs(Class)} converts with
     * @return the event
     * @throws IllegalArgumentException if {@code type} is empty
     */
    public static Event ofJson(String type, @Nullable String id, @Nullable JsonNode payload, ObjectMapper payloadMapper) {
        return new Event(type, id, payload, payloadMapper);
    }

    /**
     * Returns a copy of this event with another correlation id.
     *
     * @param id the correlation id, or {@code null} for none
     * @return the copy
     */
    public Event withId(@Nullable String id) {
        return new Event(this.type, id, this.payload, this.payloadMapper);
    }

    /**
     * The type of the event, which is also the topic it is fanned out on.
     *
     * @return the non-empty type
     */
    public String type() {
        return this.type;
    }

    /**
     * The correlation id, if the event has one.
     *
     * @return the id, or {@code null}
     */
    public @Nullable String id() {
        return this.id;
    }

    /**
     * The payload as given: a {@link JsonNode} for events received from spokes, any object for events created with
     * {@link #of}.
     *
     * @return the payload, or {@code null} if the event has none
     */
    public @Nullable Object payload() {
        return this.payload;
    }

    /**
     * Converts the payload to a type, with the mapper of the hub that received it.
     *
     * @param <T> the target type
     * @param targetType the class to convert to
     * @return the converted payload, or {@code null} if there is none or it is JSON {@code null}
     * @throws IllegalArgumentException if the payload cannot be converted to {@code targetType}
     */
    public <T> @Nullable T payloadAs(Class<T> targetType) {
        Objects.requireNonNull(targetType, "targetType");
        if (this.payload == null) {
            return null;
        }
        if (targetType.isInstance(this.payload)) {
            return targetType.cast(this.payload);
        }
        try {
            return this.payloadMapper.convertValue(this.payload, targetType);
        }
        catch (JacksonException ex) {
            throw new IllegalArgumentException("Payload of '" + this.type + "' is not a " + targetType.getName(), ex);
        }
    }

    /**
     * Converts the payload to a generic type, with the mapper of the hub that received it.
     *
     * @param <T> the target type
     * @param targetType the type to convert to, e.g. {@code new TypeReference<List<Quote>>() {}}
     * @return the converted payload, or {@code null} if there is none or it is JSON {@code null}
     * @throws IllegalArgumentException if the payload cannot be converted to {@code targetType}
     */
    public <T> @Nullable T payloadAs(TypeReference<T> targetType) {
        Objects.requireNonNull(targetType, "targetType");
        if (this.payload == null) {
            return null;
        }
        try {
            return this.payloadMapper.convertValue(this.payload, targetType);
        }
        catch (JacksonException ex) {
            throw new IllegalArgumentException("Payload of '" + this.type + "' is not a " + targetType.getType(), ex);
        }
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return this == other || (other instanceof Event that && this.type.equals(that.type)
                && Objects.equals(this.id, that.id) && Objects.equals(this.payload, that.payload));
    }

    @Override
    public int hashCode() {
        return Objects.hash(this.type, this.id, this.payload);
    }

    @Override
    public String toString() {
        return "Event[type=" + this.type + ", id=" + this.id + ", payload=" + this.payload + "]";
    }
}
