package dev.fanout.client.internal;

import org.jspecify.annotations.Nullable;

import dev.fanout.Event;

/**
 * What one message from the hub means to the client.
 */
sealed interface InboundFrame {

    /**
     * An event for the app's listeners.
     *
     * @param event the event
     * @param offset its offset in the topic's history, if the hub keeps one ({@code "offset":N})
     */
    record EventFrame(Event event, @Nullable Long offset) implements InboundFrame {
    }

    /**
     * {@code __ack}: the request with this id took effect.
     *
     * @param id the request's id
     * @param epoch the topic history's epoch, if the hub keeps history
     * @param offset the topic's latest offset, if the hub keeps history
     * @param recovered the hub's {@code recovered} flag, if it sent one
     */
    record Ack(String id, @Nullable String epoch, @Nullable Long offset, @Nullable Boolean recovered)
            implements InboundFrame {
    }

    /**
     * {@code __error}: the request (or event) with this id was refused.
     *
     * @param id the id, or {@code null} if the hub sent none
     * @param event the whole reply, for the app's {@code __error} listeners
     * @param code the error code
     * @param message the text for people, possibly empty
     */
    record ErrorReply(@Nullable String id, Event event, String code, String message) implements InboundFrame {
    }

    /**
     * A message the client cannot use, with the reason to log.
     *
     * @param reason why it is ignored
     */
    record Ignored(String reason) implements InboundFrame {
    }
}
