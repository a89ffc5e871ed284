package dev.fanout.spring.websocket;

import java.util.concurrent.Executor;

/**
 * The threads a {@link WebSocketSessionRawSocket} uses besides the container's, all owned by the
 * {@link SessionSupervisor}.
 *
 * @param io runs closes and pings, which may block for a bounded time
 * @param sender starts the first send after the socket was idle, so that a publisher only ever enqueues; never blocks
 * @param flusher flushes a batch of messages, which blocks until the batch is written; elastic, so that a spoke that
 *     stopped reading holds only its own flush thread
 */
record SocketThreads(Executor io, Executor sender, Executor flusher) {
}
