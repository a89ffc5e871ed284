package dev.fanout.client.endtoend;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

import dev.fanout.client.ConnectionState;
import dev.fanout.client.WebSocketClientEventTarget;
import dev.fanout.client.WebSocketClientOptions;

import static org.awaitility.Awaitility.await;

/**
 * The clients one end-to-end test creates, closed together after it. Reconnect delays are short so that the tests
 * wait for reconnects in milliseconds; the backoff itself is proven by the unit tests.
 */
final class Clients implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(20);

    private final List<WebSocketClientEventTarget> created = new CopyOnWriteArrayList<>();

    static URI endpoint(int port) {
        return URI.create("ws://localhost:" + port + "/fanout");
    }

    static WebSocketClientOptions.Builder options(URI endpoint) {
        return WebSocketClientOptions.builder(endpoint)
            .reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(200))
            .ackTimeout(Duration.ofSeconds(5));
    }

    WebSocketClientEventTarget create(int port) {
        return create(port, UnaryOperator.identity());
    }

    WebSocketClientEventTarget create(int port, UnaryOperator<WebSocketClientOptions.Builder> customizer) {
        return create(endpoint(port), customizer);
    }

    WebSocketClientEventTarget create(URI endpoint, UnaryOperator<WebSocketClientOptions.Builder> customizer) {
        WebSocketClientEventTarget client = WebSocketClientEventTarget.create(customizer.apply(options(endpoint)).build());
        this.created.add(client);
        return client;
    }

    WebSocketClientEventTarget connect(int port) {
        WebSocketClientEventTarget client = create(port);
        client.start();
        awaitOpen(client);
        return client;
    }

    static void awaitOpen(WebSocketClientEventTarget client) {
        await().atMost(WAIT).until(() -> client.state() == ConnectionState.OPEN);
    }

    @Override
    public void close() {
        this.created.forEach(WebSocketClientEventTarget::close);
    }
}
