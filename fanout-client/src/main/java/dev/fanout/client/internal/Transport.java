package dev.fanout.client.internal;

import java.util.concurrent.CompletableFuture;

/**
 * Opens WebSocket connections to one hub: the JDK client in production, a fake in the client's unit tests.
 */
interface Transport {

    /**
     * Starts opening a connection.
     *
     * @param listener receives the connection's messages and its close; no message arrives before the first
     *     {@link Channel#requestNext()}
     * @return completes with the open channel, or fails if the connection could not be opened
     */
    CompletableFuture<Channel> open(ChannelListener listener);

    /**
     * One open WebSocket connection. Thread-safe; {@link #send} may only be called again once the previous send
     * completed.
     */
    interface Channel {

        /**
         * Writes one text message.
         *
         * @return completes when the message is handed to the network; fails if it could not be
         */
        CompletableFuture<?> send(String text);

        /** Lets exactly one more message reach the listener. */
        void requestNext();

        /** Starts a graceful close with a close frame; the connection is dropped if the peer does not answer. */
        void close(int code, String reason);

        /** Drops the connection at once; the listener's {@code onClose} follows with 1006. */
        void abort();
    }

    /**
     * Receives what arrives on a {@link Channel}. Calls for one channel are sequential, and {@link #onClose} comes at
     * most once, last.
     */
    interface ChannelListener {

        /**
         * A whole text message arrived.
         */
        void onMessage(String text);

        /**
         * The connection closed: by a close frame, a failure (1006), or a message over the size limit (1009).
         */
        void onClose(int code, String reason);
    }
}
