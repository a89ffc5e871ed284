package dev.fanout.sample;

import java.time.Clock;

import dev.fanout.Event;
import dev.fanout.SpokeEventTarget;
import dev.fanout.spring.listener.FanoutListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

import org.springframework.stereotype.Component;

/**
 * The chat room: receives the {@code chat} events spokes send (and the chat messages published through the HTTP
 * API), validates them and fans the valid ones out to every subscriber of {@code chat} (the sender included) as a
 * {@link ChatMessage}.
 *
 * <p>A valid message has a JSON object payload with string fields {@code user} and {@code text}, each non-blank
 * after trimming, within {@code sample.chat.max-user-length} and {@code sample.chat.max-text-length}, and a user name
 * without control characters. Anything else is dropped, counted by the Micrometer counter {@value #INVALID_MESSAGES}
 * and logged at debug level, and the sender is told why ({@value #INVALID_MESSAGE}, if its event had an id); the
 * sender stays connected.
 *
 * <p>Thread-safe: the hub may call {@link #onChat(Event)} for several spokes at once.
 */
@Component
public final class ChatRoom {

    /** The topic chat messages are received on and fanned out to. */
    public static final String TOPIC = "chat";

    /** The counter of chat messages dropped as invalid. */
    public static final String INVALID_MESSAGES = "sample.chat.invalid";

    /** The code of the {@code __error} a sender of an invalid chat message receives. */
    public static final String INVALID_MESSAGE = "invalid_chat_message";

    private static final Logger logger = LoggerFactory.getLogger(ChatRoom.class);

    private final Publisher publisher;

    private final Counter invalidMessages;

    private final SampleProperties.Chat limits;

    private final Clock clock;

    /**
     * Creates the chat room.
     *
     * @param publisher where to fan valid messages out
     * @param meters where to register the counter of invalid messages
     * @param properties the sample settings ({@code sample.chat.*})
     */
    public ChatRoom(Publisher publisher, MeterRegistry meters, SampleProperties properties) {
        this.publisher = publisher;
        this.invalidMessages = Counter.builder(INVALID_MESSAGES)
            .description("Chat messages dropped as invalid")
            .register(meters);
        this.limits = properties.getChat();
        this.clock = Clock.systemUTC();
    }

    /**
     * Handles one {@code chat} event from a spoke.
     *
     * @param event the event as the spoke sent it
     * @param sender the spoke that sent it
     */
    @FanoutListener(TOPIC)
    public void onChat(Event event, SpokeEventTarget sender) {
        String problem = post(payloadOf(event));
        if (!problem.isEmpty()) {
            logger.debug("Dropped invalid chat message: {}", problem);
            sender.reject(event, INVALID_MESSAGE, problem);
        }
    }

    /**
     * Validates one chat message and fans it out if it is valid: what a {@code chat} event from a spoke and a publish
     * to {@code chat} through the HTTP API both go through. An invalid message is counted by
     * {@value #INVALID_MESSAGES} and not sent.
     *
     * @param payload the message's payload as JSON
     * @return why the message is invalid, or the empty string if it was fanned out
     */
    public String post(JsonNode payload) {
        String user = trimmedString(payload, "user");
        String text = trimmedString(payload, "text");
        String problem = problemWith(payload, user, text);
        if (!problem.isEmpty()) {
            this.invalidMessages.increment();
            return problem;
        }
        this.publisher.publish(TOPIC, new ChatMessage(user, text, this.clock.millis()));
        return "";
    }

    private String problemWith(JsonNode payload, String user, String text) {
        if (!payload.isObject()) {
            return "payload is not a JSON object";
        }
        if (user.isEmpty()) {
            return "user is missing, blank or not a string";
        }
        if (text.isEmpty()) {
            return "text is missing, blank or not a string";
        }
        if (user.length() > this.limits.getMaxUserLength()) {
            return "user is longer than " + this.limits.getMaxUserLength() + " characters";
        }
        if (text.length() > this.limits.getMaxTextLength()) {
            return "text is longer than " + this.limits.getMaxTextLength() + " characters";
        }
        if (user.chars().anyMatch(Character::isISOControl)) {
            return "user contains control characters";
        }
        return "";
    }

    private static JsonNode payloadOf(Event event) {
        try {
            JsonNode payload = event.payloadAs(JsonNode.class);
            return (payload != null) ? payload : MissingNode.getInstance();
        }
        catch (IllegalArgumentException ex) {
            return MissingNode.getInstance();
        }
    }

    private static String trimmedString(JsonNode payload, String field) {
        JsonNode value = payload.path(field);
        return value.isString() ? value.stringValue().trim() : "";
    }
}
