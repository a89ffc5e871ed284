package dev.fanout.sample;

/**
 * A chat message as fanned out on the {@code chat} topic, after validation.
 *
 * @param user the sender's name, trimmed
 * @param text the message, trimmed
 * @param sentAt when the hub accepted it, in milliseconds since the epoch
 */
public record ChatMessage(String user, String text, long sentAt) {
}
