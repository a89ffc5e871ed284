package dev.fanout.spring.websocket;

import java.io.IOException;

import org.jspecify.annotations.Nullable;
import org.springframework.web.socket.CloseStatus;

/**
 * The container port of the send path: the few operations on one server-side WebSocket connection that
 * {@link SendLoop} needs, each container ({@link dev.fanout.spring.websocket.tomcat Tomcat},
 * {@link dev.fanout.spring.websocket.jetty Jetty 12}) implementing them with its own API and owning every
 * container-specific setting; {@link AsyncEndpoints} picks the implementation from the session.
 *
 * <p><b>Threads.</b> {@link SendLoop} calls the write methods ({@link #sendText}, {@link #writeText},
 * {@link #beginBatch}, {@link #endBatch}, {@link #ping}, {@link #close}) from one thread at a time, never
 * concurrently, and only after the previous send completed; {@link #suspendReading()} and {@link #resumeReading()}
 * may be called from any thread. No
 * method is ever called on a publishing thread: a method that blocks blocks a {@link SendScheduler} drainer, never a
 * publisher.
 *
 * <p><b>Blocking.</b> {@link #sendText} and {@link #beginBatch} never wait for the network. {@link #writeText},
 * {@link #endBatch}, {@link #ping} and {@link #close} write and may wait while the peer's TCP window is full, each
 * for a time the implementation bounds (Tomcat: its blocking-send timeout; Jetty: a wait for the frame's completion),
 * twice the send-stall timeout, so that the stall watchdog acts first.
 */
public interface AsyncEndpoint {

    /**
     * Starts writing one text message and returns without waiting for the network. While a batch is open the
     * message may only be copied into the container's output buffer; it is then on the wire after {@link #endBatch}.
     *
     * @param text the message
     * @param completion told once, when the message is written or buffered, or failed: on the calling thread before
     *     this method returns, or later on a container thread
     * @throws IllegalStateException if the connection is closed; the completion is then not called
     */
    void sendText(String text, Completion completion);

    /**
     * Writes one text message with no batch open, on the calling thread: the cheapest way to write a lone message
     * (no copy into the output buffer, no container task), blocking only while the peer's TCP window is full, for a
     * bounded time.
     *
     * @param text the message
     * @throws IOException if the write failed or timed out
     */
    void writeText(String text) throws IOException;

    /**
     * Opens a batch: the messages sent until {@link #endBatch} are collected in the container's output buffer, and
     * written whenever it fills, so that a burst costs one system call per buffer. Never blocks.
     *
     * @throws IOException if the container refused
     */
    void beginBatch() throws IOException;

    /**
     * Closes the batch and writes what it still holds; blocks until that is written, for a bounded time.
     *
     * @throws IOException if the write failed or timed out
     */
    void endBatch() throws IOException;

    /**
     * The size of the container's output buffer: at most this many bytes of completed batched sends can still be
     * unwritten before {@link #endBatch}.
     *
     * @return the buffer size in bytes
     */
    int outputBufferSize();

    /**
     * Writes a ping frame, with no batch open; blocks until it is written, for a bounded time.
     *
     * @throws IOException if the write failed or timed out
     */
    void ping() throws IOException;

    /**
     * Closes the connection with a close frame, with no batch open and no send in flight, or, when called by the
     * stall watchdog, while a write is stuck: the implementation first cuts its write timeouts so that neither the
     * close frame nor a stuck write holds a thread for long, and aborts the TCP connection if the frame cannot be
     * written. Never throws.
     *
     * @param status the status to send
     */
    void close(CloseStatus status);

    /**
     * Stops reading inbound frames from this connection until {@link #resumeReading()}, so that TCP pushes back on a
     * peer whose messages cannot be handled now (flow control): the frame being handled finishes, the next ones stay
     * in the socket. Never blocks; the caller calls it and {@link #resumeReading()} one at a time.
     *
     * @return {@code true} if reading is suspended now; {@code false} if the container cannot suspend (nothing
     *     changed, and {@link #resumeReading()} need not be called)
     */
    boolean suspendReading();

    /**
     * Reads inbound frames again after {@link #suspendReading()}; the frames that waited are handled on a container
     * thread, not the calling one. Never blocks.
     */
    void resumeReading();

    /**
     * The outcome of one {@link #sendText}.
     */
    @FunctionalInterface
    interface Completion {

        /**
         * The send finished.
         *
         * @param failure why it failed, or {@code null} if the message was written or buffered
         */
        void completed(@Nullable Throwable failure);
    }
}
