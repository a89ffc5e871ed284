package dev.fanout.spring.websocket.jetty;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.jetty.ee11.websocket.jakarta.common.JakartaWebSocketSession;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.OutgoingEntry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;

import dev.fanout.spring.websocket.AsyncEndpoint;

/**
 * {@link AsyncEndpoint} over Jetty 12's WebSocket core session, reached through the Jakarta WebSocket session
 * ({@link JakartaWebSocketSession}, from {@code jetty-ee11-websocket-jakarta-common}) that Spring's standard upgrade
 * strategy wraps in its {@link WebSocketSession} on Jetty.
 *
 * <p>What it relies on in Jetty: every frame goes to the session's one frame flusher queue, which the sending thread
 * works through itself unless another thread is already writing. A frame sent with batching on and a payload below a
 * quarter of the session's output buffer ({@link CoreSession#getOutputBufferSize()}, 4 KiB by default) is copied into
 * the flusher's batch buffer and completes on the calling thread; a larger one is written at once, with the batch
 * before it, in one gathering write, and completes when that write does (on the calling thread if the socket took it,
 * else later on a Jetty thread). {@link CoreSession#flush} writes the batch buffer out. Every frame carries a message
 * timeout of twice the send-stall timeout, after which Jetty fails it and aborts the connection, so that the
 * starter's watchdog, not Jetty, ends a stuck write, with 1013. The blocking calls ({@link #writeText},
 * {@link #endBatch}, {@link #ping}) wait for their frame's completion for that same time at most. {@link #close}
 * waits 100 ms for the close frame and then aborts the TCP connection, so that it cannot hang on a peer that stopped
 * reading. The session's idle timeout is switched off: the starter's heartbeat decides when a quiet peer is gone (on
 * Tomcat, too, a WebSocket session has no idle timeout), and a write that makes no progress is bounded by the message
 * timeout.
 *
 * <p>Reading cannot be suspended here: Jetty's Jakarta layer demands the next frame itself as soon as the handler
 * returns, so {@link #suspendReading()} and {@link #resumeReading()} do nothing (the port allows that), and the hub's
 * flow control cannot throttle a publishing spoke on Jetty (application publishers still see
 * {@code hasCapacity}). In {@code JakartaWebSocketFrameHandler} every frame's callback is followed by
 * {@code coreSession.demand()}, and the partial-message sinks that Spring's adapter uses do the same once the handler
 * returns, so no hook on Spring's path withholds the demand. Suspending reading on Jetty needs Jetty's own demand API
 * ({@code Session.demand()} of a non-auto-demanding {@code Session.Listener}) behind an endpoint of the starter's in
 * place of Spring's adapter.
 *
 * <p>Thread safety as {@link AsyncEndpoint} states. The batch flag and the cached callback are written and read only
 * by the thread that runs the send loop; successive runs hand them over through the loop's lock.
 */
public final class JettyAsyncEndpoint implements AsyncEndpoint {

    private static final Logger logger = LoggerFactory.getLogger(JettyAsyncEndpoint.class);

    private static final long CLOSE_SEND_TIMEOUT_MILLIS = 100;

    private static final byte[] PING_PAYLOAD = "fanout".getBytes(StandardCharsets.US_ASCII);

    private final WebSocketSession session;

    private final CoreSession coreSession;

    private final long writeTimeoutMillis;

    private final int outputBufferSize;

    private boolean batching;

    /**
     * The callback of the last completion passed to {@link #sendText}: the loop's one completion, so one callback
     * serves every send. Confined like the batch flag.
     */
    private @Nullable CompletionCallback callback;

    private JettyAsyncEndpoint(WebSocketSession session, JakartaWebSocketSession nativeSession,
            Duration sendStallTimeout) {
        this.session = session;
        this.coreSession = nativeSession.getCoreSession();
        this.writeTimeoutMillis = sendStallTimeout.multipliedBy(2).toMillis();
        this.outputBufferSize = this.coreSession.getOutputBufferSize();
        nativeSession.setMaxIdleTimeout(0);
    }

    /**
     * Whether a Spring session is backed by Jetty's Jakarta WebSocket session.
     *
     * @param session the session
     * @return whether {@link #of} accepts it
     */
    public static boolean supports(WebSocketSession session) {
        return session instanceof NativeWebSocketSession nativeSession
                && nativeSession.getNativeSession(JakartaWebSocketSession.class) != null;
    }

    /**
     * Adapts a Spring session backed by Jetty's Jakarta WebSocket session.
     *
     * @param session the session
     * @param sendStallTimeout the starter's send-stall timeout; writes time out after twice that
     * @return the endpoint
     * @throws IllegalArgumentException if the session is not {@link #supports supported}
     */
    public static JettyAsyncEndpoint of(WebSocketSession session, Duration sendStallTimeout) {
        if (!supports(session)) {
            throw new IllegalArgumentException("Not a Jetty WebSocket session: " + session.getClass().getName());
        }
        JakartaWebSocketSession nativeSession = ((NativeWebSocketSession) session)
            .getNativeSession(JakartaWebSocketSession.class);
        return new JettyAsyncEndpoint(session, Objects.requireNonNull(nativeSession), sendStallTimeout);
    }

    /**
     * {@inheritDoc}
     *
     * <p>On a closed connection Jetty fails the completion instead of throwing.
     */
    @Override
    public void sendText(String text, Completion completion) {
        CompletionCallback callback = this.callback;
        if (callback == null || !callback.tells(completion)) {
            callback = new CompletionCallback(completion);
            this.callback = callback;
        }
        send(new Frame(OpCode.TEXT).setPayload(text), callback, this.batching);
    }

    @Override
    public void writeText(String text) throws IOException {
        CompletableFuture<Void> written = new CompletableFuture<>();
        send(new Frame(OpCode.TEXT).setPayload(text), completing(written), false);
        await(written, this.writeTimeoutMillis, "a message");
    }

    @Override
    public void beginBatch() {
        this.batching = true;
    }

    @Override
    public void endBatch() throws IOException {
        this.batching = false;
        CompletableFuture<Void> flushed = new CompletableFuture<>();
        this.coreSession.flush(completing(flushed));
        await(flushed, this.writeTimeoutMillis, "the batch");
    }

    /**
     * {@inheritDoc}
     *
     * @return the session's output buffer size, read when the connection opened (Jetty sizes the flusher's batch
     *     buffer then)
     */
    @Override
    public int outputBufferSize() {
        return this.outputBufferSize;
    }

    @Override
    public void ping() throws IOException {
        CompletableFuture<Void> written = new CompletableFuture<>();
        send(new Frame(OpCode.PING).setPayload(ByteBuffer.wrap(PING_PAYLOAD)), completing(written), false);
        await(written, this.writeTimeoutMillis, "a ping");
    }

    @Override
    public void close(CloseStatus status) {
        this.batching = false;
        CompletableFuture<Void> closed = new CompletableFuture<>();
        try {
            this.coreSession.close(status.getCode(), status.getReason(), completing(closed));
            await(closed, CLOSE_SEND_TIMEOUT_MILLIS, "the close frame");
        }
        catch (IOException | RuntimeException ex) {
            logger.debug("Closing {} with {} failed; aborting the connection", this, status, ex);
            this.coreSession.abort();
        }
    }

    /**
     * Does nothing: Jetty's Jakarta layer demands the next frame itself; see {@link JettyAsyncEndpoint}.
     *
     * @return {@code false}, always
     */
    @Override
    public boolean suspendReading() {
        return false;
    }

    /**
     * Does nothing: reading is never suspended; see {@link JettyAsyncEndpoint}.
     */
    @Override
    public void resumeReading() {
    }

    private void send(Frame frame, Callback callback, boolean batch) {
        this.coreSession.sendFrame(new OutgoingEntry.Builder(frame, callback).batch(batch)
            .messageTimeout(this.writeTimeoutMillis)
            .build());
    }

    private static Callback completing(CompletableFuture<Void> future) {
        return Callback.from(() -> future.complete(null), future::completeExceptionally);
    }

    private void await(CompletableFuture<Void> future, long timeoutMillis, String what) throws IOException {
        try {
            future.get(timeoutMillis, TimeUnit.MILLISECONDS);
        }
        catch (ExecutionException ex) {
            Throwable cause = ex.getCause();
            throw (cause instanceof IOException io) ? io : new IOException("Writing " + what + " failed", cause);
        }
        catch (TimeoutException ex) {
            throw new SocketTimeoutException("Writing " + what + " to " + this + " timed out after "
                    + timeoutMillis + " ms");
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while writing " + what + " to " + this, ex);
        }
    }

    @Override
    public String toString() {
        return "Jetty WebSocket session " + this.session.getId();
    }
}
