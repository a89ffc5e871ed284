package dev.fanout.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.awaitility.Awaitility.await;

/**
 * A real spoke for tests: a JDK {@link WebSocket} client connected to the sample's hub over loopback, recording
 * every event it receives in order.
 */
final class TestSpoke implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final WebSocket socket;

    private final List<JsonNode> received = new CopyOnWriteArrayList<>();

    private final CompletableFuture<Integer> closed = new CompletableFuture<>();

    private volatile boolean reading = true;

    private TestSpoke(URI uri) {
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .connectTimeout(WAIT)
                .buildAsync(uri, new Recorder())
                .join();
    }

    static TestSpoke connect(int port) {
        return new TestSpoke(URI.create("ws://localhost:" + port + "/fanout"));
    }

    TestSpoke subscribe(String topic) {
        return sendJson("{\"type\":\"__subscribe\",\"payload\":{\"topic\":" + quote(topic) + "}}");
    }

    TestSpoke send(String type, Object payload) {
        return sendJson("{\"type\":" + quote(type) + ",\"payload\":" + JSON.writeValueAsString(payload) + "}");
    }

    TestSpoke sendJson(String json) {
        this.socket.sendText(json, true).join();
        return this;
    }

    /**
     * Stops asking the server for more messages, so that the hub's sends to this spoke back up.
     */
    void stopReading() {
        this.reading = false;
    }

    List<JsonNode> received() {
        return List.copyOf(this.received);
    }

    List<JsonNode> received(String type) {
        return this.received.stream().filter((event) -> type.equals(event.path("type").stringValue(""))).toList();
    }

    JsonNode awaitEvent(Predicate<JsonNode> matching) {
        await().atMost(WAIT).until(() -> this.received.stream().anyMatch(matching));
        return this.received.stream().filter(matching).findFirst().orElseThrow();
    }

    JsonNode awaitEvent(String type) {
        return awaitEvent((event) -> type.equals(event.path("type").stringValue("")));
    }

    boolean isOpen() {
        return !this.closed.isDone() && !this.socket.isOutputClosed();
    }

    @Nullable Integer closeCode() {
        return this.closed.getNow(null);
    }

    @Override
    public void close() {
        if (!this.socket.isOutputClosed()) {
            this.socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").exceptionally((ex) -> null);
        }
        this.socket.abort();
    }

    private static String quote(String text) {
        return JSON.writeValueAsString(text);
    }

    private final class Recorder implements WebSocket.Listener {

        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            this.partial.append(data);
            if (last) {
                TestSpoke.this.received.add(JSON.readTree(this.partial.toString()));
                this.partial.setLength(0);
            }
            if (TestSpoke.this.reading) {
                webSocket.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            TestSpoke.this.closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            TestSpoke.this.closed.complete(-1);
        }
    }
}
