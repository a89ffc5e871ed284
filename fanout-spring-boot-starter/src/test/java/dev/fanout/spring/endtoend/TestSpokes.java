package dev.fanout.spring.endtoend;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.fanout.WebSocketServerEventTarget;
import dev.fanout.testing.TestSpoke;

import static org.awaitility.Awaitility.await;

/**
 * The spokes one end-to-end test connects to the hub under test, each named by its {@code X-User} header, so that
 * they can be awaited on and closed together.
 */
final class TestSpokes {

    private final WebSocketServerEventTarget hub;

    private final URI endpoint;

    private final Duration wait;

    private final List<TestSpoke> connected = new CopyOnWriteArrayList<>();

    TestSpokes(WebSocketServerEventTarget hub, int port, Duration wait) {
        this.hub = hub;
        this.endpoint = URI.create("ws://localhost:" + port + "/fanout");
        this.wait = wait;
    }

    TestSpoke connect(String user) {
        TestSpoke spoke = TestSpoke.connect(this.endpoint, Map.of("X-User", user));
        this.connected.add(spoke);
        return spoke;
    }

    void awaitSubscribers(String topic, int count) {
        await().atMost(this.wait).until(() -> this.hub.topicSubscriberCounts().getOrDefault(topic, 0) == count);
    }

    void closeAll() {
        this.connected.forEach(TestSpoke::close);
    }

    /** The {@code id} of an event message as the hub sent it. */
    static String idOf(String message) {
        int start = message.indexOf("\"id\":\"") + 6;
        return message.substring(start, message.indexOf('"', start));
    }
}
