package dev.fanout.benchmarks.load.client;

/**
 * Receives the complete messages of one {@link WsSocket}, on the thread that reads it.
 */
interface MessageSink {

    /**
     * A complete text (or binary) message; the bytes are valid only during the call.
     */
    void onMessage(byte[] buffer, int offset, int length);

    /**
     * The server closed the connection: its close code, or 1006 when the TCP connection ended without one.
     */
    void onClose(int code);
}
