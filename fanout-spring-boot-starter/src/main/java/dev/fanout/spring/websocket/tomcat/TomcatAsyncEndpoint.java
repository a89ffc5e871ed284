package dev.fanout.spring.websocket.tomcat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;
import org.apache.tomcat.websocket.WsSession;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;

import dev.fanout.spring.websocket.AsyncEndpoint;

/**
 * {@link AsyncEndpoint} over Tomcat's Jakarta WebSocket session ({@link WsSession}, from
 * {@code tomcat-embed-websocket}), reached through Spring's {@link WebSocketSession}.
 *
 * <p>What it relies on in Tomcat: an asynchronous {@code sendText} with batching allowed copies the message into the
 * session's output buffer ({@value #DEFAULT_BUFFER_SIZE_PROPERTY}, 8 KiB by default) and completes on the calling
 * thread, writing the buffer asynchronously whenever it fills (that completion comes later, on a container thread);
 * {@code setBatchingAllowed(false)} writes the buffer out, blocking. Blocking writes (that flush, pings, the close
 * frame) time out after the session's {@value #BLOCKING_SEND_TIMEOUT_PROPERTY} user property, set here to twice the
 * send-stall timeout so that the starter's watchdog, not Tomcat, ends a stuck write, with 1013. Before closing, that
 * timeout and {@value #ABNORMAL_CLOSE_SEND_TIMEOUT_PROPERTY} are cut to 100 ms, so that the flush Tomcat performs on
 * close and the close frame cannot hang the closing thread on a peer that stopped reading: Tomcat then fails the
 * stuck write and aborts the TCP connection. Reading is suspended and resumed with {@link WsSession#suspend()} and
 * {@link WsSession#resume()}.
 *
 * <p>Thread safety as {@link AsyncEndpoint} states.
 */
public final class TomcatAsyncEndpoint implements AsyncEndpoint {

    /** Tomcat's session user property for blocking sends (flushes, pings, normal close frames), in milliseconds. */
    public static final String BLOCKING_SEND_TIMEOUT_PROPERTY = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

    /** Tomcat's session user property for writing a non-1000 close frame, in milliseconds. */
    public static final String ABNORMAL_CLOSE_SEND_TIMEOUT_PROPERTY =
            "org.apache.tomcat.websocket.ABNORMAL_SESSION_CLOSE_SEND_TIMEOUT";

    /** Tomcat's system property for the size of each session's output and encoder buffers, in bytes. */
    public static final String DEFAULT_BUFFER_SIZE_PROPERTY = "org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE";

    private static final Logger logger = LoggerFactory.getLogger(TomcatAsyncEndpoint.class);

    private static final int OUTPUT_BUFFER_SIZE = Integer.getInteger(DEFAULT_BUFFER_SIZE_PROPERTY, 8 * 1024);

    private static final long CLOSE_SEND_TIMEOUT_MILLIS = 100;

    /**
     * The per-session size of Tomcat's inbound message buffers, in chars for text and bytes for binary. The starter
     * takes inbound messages in parts and joins them itself (enforcing {@code fanout.max-message-size}), so this is
     * only the size of a part: 1 K instead of Tomcat's default 8 K saves 14 KiB of heap per connection (the text
     * buffer is a {@code CharBuffer}), applied by Tomcat when the session's next message of that type starts.
     */
    static final int INBOUND_PART_SIZE = 1024;

    private static final byte[] PING_PAYLOAD = "fanout".getBytes(StandardCharsets.US_ASCII);

    private final WebSocketSession session;

    private final Session nativeSession;

    private final RemoteEndpoint.Async remote;

    /**
     * The handler of the last completion passed to {@link #sendText}: the loop's one completion, so one handler
     * serves every send. Written and read only by the thread that runs the send loop; successive runs hand it over
     * through the loop's lock.
     */
    private @Nullable CompletionHandler handler;

    /**
     * Adapts a session whose Jakarta session is known; {@link #of} finds it.
     *
     * @param session the Spring session
     * @param nativeSession its Jakarta session
     * @param sendStallTimeout the starter's send-stall timeout
     */
    TomcatAsyncEndpoint(WebSocketSession session, Session nativeSession, Duration sendStallTimeout) {
        this.session = session;
        this.nativeSession = nativeSession;
        this.remote = nativeSession.getAsyncRemote();
        nativeSession.getUserProperties()
            .put(BLOCKING_SEND_TIMEOUT_PROPERTY, sendStallTimeout.multipliedBy(2).toMillis());
        nativeSession.getUserProperties().put(ABNORMAL_CLOSE_SEND_TIMEOUT_PROPERTY, CLOSE_SEND_TIMEOUT_MILLIS);
        nativeSession.setMaxTextMessageBufferSize(INBOUND_PART_SIZE);
        nativeSession.setMaxBinaryMessageBufferSize(INBOUND_PART_SIZE);
    }

    /**
     * Whether a Spring session is backed by Tomcat's WebSocket session.
     *
     * @param session the session
     * @return whether {@link #of} accepts it
     */
    public static boolean supports(WebSocketSession session) {
        return session instanceof NativeWebSocketSession nativeSession
                && nativeSession.getNativeSession(WsSession.class) != null;
    }

    /**
     * Adapts a Spring session backed by Tomcat's WebSocket session.
     *
     * @param session the session
     * @param sendStallTimeout the starter's send-stall timeout; blocking writes time out after twice that
     * @return the endpoint
     * @throws IllegalArgumentException if the session is not {@link #supports supported}
     */
    public static TomcatAsyncEndpoint of(WebSocketSession session, Duration sendStallTimeout) {
        if (!supports(session)) {
            throw new IllegalArgumentException("Not a Tomcat WebSocket session: " + session.getClass().getName());
        }
        Session nativeSession = ((NativeWebSocketSession) session).getNativeSession(Session.class);
        return new TomcatAsyncEndpoint(session, Objects.requireNonNull(nativeSession), sendStallTimeout);
    }

    @Override
    public void sendText(String text, Completion completion) {
        CompletionHandler handler = this.handler;
        if (handler == null || !handler.tells(completion)) {
            handler = new CompletionHandler(completion);
            this.handler = handler;
        }
        this.remote.sendText(text, handler);
    }

    @Override
    public void writeText(String text) throws IOException {
        this.nativeSession.getBasicRemote().sendText(text);
    }

    @Override
    public void beginBatch() throws IOException {
        this.remote.setBatchingAllowed(true);
    }

    @Override
    public void endBatch() throws IOException {
        this.remote.setBatchingAllowed(false);
    }

    @Override
    public int outputBufferSize() {
        return OUTPUT_BUFFER_SIZE;
    }

    @Override
    public void ping() throws IOException {
        this.nativeSession.getBasicRemote().sendPing(ByteBuffer.wrap(PING_PAYLOAD));
    }

    @Override
    public void close(CloseStatus status) {
        try {
            this.nativeSession.getUserProperties().put(BLOCKING_SEND_TIMEOUT_PROPERTY, CLOSE_SEND_TIMEOUT_MILLIS);
            this.remote.setBatchingAllowed(false);
        }
        catch (IOException | RuntimeException ex) {
            logger.debug("Flushing the batch of {} before closing it failed (the container may have closed it)", this,
                    ex);
        }
        try {
            this.session.close(status);
        }
        catch (IOException | RuntimeException ex) {
            logger.debug("Closing {} with {} failed", this, status, ex);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>{@link WsSession#suspend()}: Tomcat stops processing the frames of its input buffer at the next frame
     * boundary and stops reading the socket.
     */
    @Override
    public boolean suspendReading() {
        WsSession wsSession = ((NativeWebSocketSession) this.session).getNativeSession(WsSession.class);
        if (wsSession == null) {
            return false;
        }
        wsSession.suspend();
        return true;
    }

    @Override
    public void resumeReading() {
        WsSession wsSession = ((NativeWebSocketSession) this.session).getNativeSession(WsSession.class);
        if (wsSession != null) {
            wsSession.resume();
        }
    }

    @Override
    public String toString() {
        return "Tomcat WebSocket session " + this.session.getId();
    }
}
