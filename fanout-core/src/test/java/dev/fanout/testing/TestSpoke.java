package dev.fanout.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import dev.fanout.Frames;

import static org.awaitility.Awaitility.await;

/**
 * A spoke for tests: a real {@link java.net.http.WebSocket} client that records every text message it receives and
 * how its connection closed, and that can stop reading (it stops requesting messages, so the JDK client stops
 * reading the socket and TCP pushes back on the hub) to play a slow consumer.
 *
 * <p>Thread-safe. Part of fanout-core's test-jar, the one home of the test fixtures every module's tests share; depend
 * on it with {@code <type>test-jar</type>} and {@code <scope>test</scope>} (and Awaitility) instead of copying it.
 */
public final class TestSpoke implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final List<String> messages = new CopyOnWriteArrayList<>();

    private final CompletableFuture<Closure> closure = new CompletableFuture<>();

    private final AtomicInteger pings = new AtomicInteger();

    private final Object readLock = new Object();

    private boolean reading = true;

    private boolean demandPending;

    private WebSocket webSocket;

    private TestSpoke() {
    }

    /**
     * Connects to a hub at the default path on this machine, {@code ws://localhost:<port>/fanout}.
     *
     * @param port the server port
     * @return the connected spoke
     */
    public static TestSpoke connect(int port) {
        return connect(URI.create("ws://localhost:" + port + "/fanout"));
    }

    /**
     * Connects to a hub.
     *
     * @param uri the endpoint, e.g. {@code ws://localhost:8080/fanout}
     * @return the connected spoke
     */
    public static TestSpoke connect(URI uri) {
        return connect(uri, Map.of());
    }

    /**
     * Connects to a hub with extra handshake headers, such as {@code Origin}.
     *
     * @param uri the endpoint
     * @param headers the headers
     * @return the connected spoke
     * @throws HandshakeRefusedException if the hub answered the upgrade with an HTTP status instead
     */
    public static TestSpoke connect(URI uri, Map<String, String> headers) {
        TestSpoke spoke = new TestSpoke();
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(TIMEOUT);
        headers.forEach(builder::header);
        try {
            spoke.webSocket = builder.buildAsync(uri, spoke.new Receiver()).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
        catch (ExecutionException ex) {
            if (ex.getCause() instanceof WebSocketHandshakeException handshake) {
                throw new HandshakeRefusedException(handshake.getResponse().statusCode(), handshake);
            }
            throw new IllegalStateException("Could not connect to " + uri, ex.getCause());
        }
        catch (InterruptedException | TimeoutException ex) {
            throw new IllegalStateException("Could not connect to " + uri, ex);
        }
        return spoke;
    }

    /**
     * Sends {@code __subscribe} for a topic.
     *
     * @param topic the topic
     * @return this spoke
     */
    public TestSpoke subscribe(String topic) {
        sendText(Frames.subscribe(topic));
        return this;
    }

    /**
     * Sends {@code __subscribe} for a topic with an id, asking for a reply (protocol 1.1).
     *
     * @param topic the topic
     * @param id the id the reply will carry
     * @return this spoke
     */
    public TestSpoke subscribe(String topic, String id) {
        sendText(Frames.subscribe(topic, id));
        return this;
    }

    /**
     * Sends {@code __unsubscribe} for a topic with an id, asking for a reply (protocol 1.1).
     *
     * @param topic the topic
     * @param id the id the reply will carry
     * @return this spoke
     */
    public TestSpoke unsubscribe(String topic, String id) {
        sendText(Frames.unsubscribe(topic, id));
        return this;
    }

    /**
     * Waits (up to 10 s) for the hub's reply ({@code __ack} or {@code __error}) with this id and returns it.
     *
     * @param id the id of the request
     * @return the reply
     * @throws org.awaitility.core.ConditionTimeoutException if none arrives in time
     */
    public JsonNode awaitReply(String id) {
        return awaitEvent((event) -> (event.path("type").asString("").equals("__ack")
                || event.path("type").asString("").equals("__error")) && id.equals(event.path("id").asString(null)));
    }

    /**
     * Sends {@code __unsubscribe} for a topic.
     *
     * @param topic the topic
     * @return this spoke
     */
    public TestSpoke unsubscribe(String topic) {
        sendText(Frames.unsubscribe(topic));
        return this;
    }

    /**
     * Sends an event {@code {"type": type, "payload": payload}} and waits until the client has written it.
     *
     * @param type the event type
     * @param payload the payload, serialized as JSON
     * @return this spoke
     */
    public TestSpoke send(String type, @Nullable Object payload) {
        sendText(Frames.event(type, payload));
        return this;
    }

    /**
     * Sends a JSON text message as it is and waits until the client has written it.
     *
     * @param json the message
     * @return this spoke
     */
    public TestSpoke sendJson(String json) {
        sendText(json);
        return this;
    }

    /**
     * Sends a text message and waits until the client has written it.
     *
     * @param text the message
     */
    public void sendText(String text) {
        join(this.webSocket.sendText(text, true));
    }

    /**
     * Sends a text message as several frames, one per part, and waits until the client has written them.
     *
     * @param parts the parts, in order; the last one ends the message
     */
    public void sendTextInParts(String... parts) {
        for (int i = 0; i < parts.length; i++) {
            join(this.webSocket.sendText(parts[i], i == parts.length - 1));
        }
    }

    /**
     * Sends a text message as several frames, one per part, until the client has written them all or the hub refused
     * one: a hub that closes the connection part-way (a message over its size limit) makes the client's next send
     * fail, which is the expected outcome here, not a test failure.
     *
     * @param parts the parts, in order; the last one ends the message
     * @return how many parts the client wrote
     */
    public int sendTextInPartsUntilRefused(String... parts) {
        for (int i = 0; i < parts.length; i++) {
            try {
                this.webSocket.sendText(parts[i], i == parts.length - 1).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
            catch (ExecutionException ex) {
                return i;
            }
            catch (InterruptedException | TimeoutException ex) {
                throw new IllegalStateException("Send failed", ex);
            }
        }
        return parts.length;
    }

    /**
     * Sends a binary message as several frames, one per part, and waits until the client has written them.
     *
     * @param parts the parts, in order; the last one ends the message
     */
    public void sendBinaryInParts(byte[]... parts) {
        for (int i = 0; i < parts.length; i++) {
            join(this.webSocket.sendBinary(ByteBuffer.wrap(parts[i]), i == parts.length - 1));
        }
    }

    /**
     * Sends a binary message and waits until the client has written it.
     *
     * @param data the message
     */
    public void sendBinary(byte[] data) {
        join(this.webSocket.sendBinary(ByteBuffer.wrap(data), true));
    }

    /**
     * Stops requesting messages: the client stops reading its socket once its small buffer is full.
     */
    public void stopReading() {
        synchronized (this.readLock) {
            this.reading = false;
        }
    }

    /**
     * Requests messages again.
     */
    public void resumeReading() {
        boolean request;
        synchronized (this.readLock) {
            this.reading = true;
            request = this.demandPending;
            this.demandPending = false;
        }
        if (request) {
            this.webSocket.request(1);
        }
    }

    /**
     * The text messages received so far, in order.
     *
     * @return a snapshot
     */
    public List<String> messages() {
        return new ArrayList<>(this.messages);
    }

    /**
     * How many pings the hub has sent so far; the JDK client answers each with a pong by itself.
     *
     * @return the ping count
     */
    public int pingsReceived() {
        return this.pings.get();
    }

    /**
     * The messages received so far, in order, parsed as JSON; a message that is not JSON fails the call.
     *
     * @return a snapshot
     */
    public List<JsonNode> received() {
        return this.messages.stream().map(Frames::parse).toList();
    }

    /**
     * The events of one type received so far, in order.
     *
     * @param type the event type
     * @return a snapshot
     */
    public List<JsonNode> received(String type) {
        return received().stream().filter(ofType(type)).toList();
    }

    /**
     * Waits (up to 10 s) for an event and returns the first one received that matches.
     *
     * @param matching what the event must satisfy
     * @return the first matching event
     * @throws org.awaitility.core.ConditionTimeoutException if none arrives in time
     */
    public JsonNode awaitEvent(Predicate<JsonNode> matching) {
        await().atMost(TIMEOUT).until(() -> received().stream().anyMatch(matching));
        return received().stream().filter(matching).findFirst().orElseThrow();
    }

    /**
     * Waits (up to 10 s) for an event of one type and returns the first one received.
     *
     * @param type the event type
     * @return the first event of that type
     * @throws org.awaitility.core.ConditionTimeoutException if none arrives in time
     */
    public JsonNode awaitEvent(String type) {
        return awaitEvent(ofType(type));
    }

    /**
     * How the connection closed, once it did.
     *
     * @return completes with the close code and reason, or with {@link Closure#ABNORMAL} if the connection failed
     */
    public CompletableFuture<Closure> closure() {
        return this.closure;
    }

    /**
     * Whether the connection is closed in either direction.
     *
     * @return {@code true} once closed
     */
    public boolean isClosed() {
        return this.closure.isDone() || this.webSocket.isInputClosed() || this.webSocket.isOutputClosed();
    }

    /**
     * Whether the connection is still open in both directions.
     *
     * @return {@code !isClosed()}
     */
    public boolean isOpen() {
        return !isClosed();
    }

    /**
     * The close code the connection ended with.
     *
     * @return the code (1006 if it failed without a close frame), or {@code null} while it is open
     */
    public @Nullable Integer closeCode() {
        Closure closed = this.closure.getNow(null);
        return (closed != null) ? closed.code() : null;
    }

    /**
     * Sends a normal close and waits for the hub's answer; or aborts if that does not come in time.
     */
    @Override
    public void close() {
        if (!this.webSocket.isOutputClosed()) {
            try {
                this.webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(2, TimeUnit.SECONDS);
                this.closure.get(2, TimeUnit.SECONDS);
            }
            catch (InterruptedException | ExecutionException | TimeoutException ex) {
                this.webSocket.abort();
            }
        }
        this.webSocket.abort();
    }

    /**
     * Drops the TCP connection without a close frame.
     */
    public void abort() {
        this.webSocket.abort();
    }

    private static Predicate<JsonNode> ofType(String type) {
        return (event) -> type.equals(event.path("type").stringValue(""));
    }

    private static void join(CompletableFuture<WebSocket> send) {
        try {
            send.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
        catch (InterruptedException | ExecutionException | TimeoutException ex) {
            throw new IllegalStateException("Send failed", ex);
        }
    }

    private void requestNext(WebSocket webSocket) {
        synchronized (this.readLock) {
            if (!this.reading) {
                this.demandPending = true;
                return;
            }
        }
        webSocket.request(1);
    }

    /**
     * How a connection closed.
     *
     * @param code the close code the hub sent, or 1006 if the connection failed without one
     * @param reason the reason
     */
    public record Closure(int code, String reason) {

        /** A connection that failed without a close frame. */
        public static final Closure ABNORMAL = new Closure(1006, "");
    }

    /**
     * The hub refused the WebSocket upgrade with an HTTP status.
     */
    public static final class HandshakeRefusedException extends RuntimeException {

        private final int statusCode;

        HandshakeRefusedException(int statusCode, Throwable cause) {
            super("Handshake refused with HTTP " + statusCode, cause);
            this.statusCode = statusCode;
        }

        /**
         * The HTTP status of the refusal.
         *
         * @return the status code, e.g. 403
         */
        public int statusCode() {
            return this.statusCode;
        }
    }

    private final class Receiver implements WebSocket.Listener {

        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            this.partial.append(data);
            if (last) {
                TestSpoke.this.messages.add(this.partial.toString());
                this.partial.setLength(0);
            }
            requestNext(webSocket);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            TestSpoke.this.closure.complete(new Closure(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            TestSpoke.this.closure.complete(Closure.ABNORMAL);
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            TestSpoke.this.pings.incrementAndGet();
            requestNext(webSocket);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            requestNext(webSocket);
            return null;
        }
    }

}
