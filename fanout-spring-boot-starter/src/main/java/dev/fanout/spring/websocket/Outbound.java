package dev.fanout.spring.websocket;

import org.springframework.web.socket.CloseStatus;

/**
 * What a {@link SendLoop} queue holds: text messages and, last of all, the close. Because the close frame goes
 * through the same queue as the messages, it can never overtake one.
 */
sealed interface Outbound {

    /**
     * A text message.
     *
     * @param text the message
     * @param size its UTF-8 size in bytes, as counted in the buffered amount
     */
    record Text(String text, long size) implements Outbound {
    }

    /**
     * The close, the last entry a queue ever holds.
     *
     * @param status the status of the close frame
     */
    record Close(CloseStatus status) implements Outbound {
    }
}
