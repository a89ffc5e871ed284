package dev.fanout.spring.endtoend;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.fanout.Event;
import dev.fanout.WebSocketServerEventTarget;
import dev.fanout.spring.metrics.FanoutMetrics;
import dev.fanout.testing.TestSpoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The meters, the health indicator and the endpoint over real Tomcat, checked against known traffic of real spokes.
 */
@SpringBootTest(classes = FanoutTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "management.endpoints.web.exposure.include=health,fanout,metrics",
                "management.endpoint.health.show-details=always", "fanout.max-subscriptions-per-connection=2",
                "fanout.max-message-size=1KB", "fanout.shutdown.drain-period=0s" })
class FanoutOperabilityEndToEndTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    private int port;

    @Autowired
    private WebSocketServerEventTarget hub;

    @Autowired
    private MeterRegistry registry;

    private final List<TestSpoke> spokes = new ArrayList<>();

    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void closeSpokes() {
        this.spokes.forEach(TestSpoke::close);
        await().atMost(WAIT).until(() -> this.hub.connectionCount() == 0);
    }

    @Test
    void theMetersCountExactlyTheTrafficOfRealSpokes() throws Exception {
        double closedNormallyBefore = counter(FanoutMetrics.SPOKES_CLOSED, "code", "1000");
        double closedTooBigBefore = counter(FanoutMetrics.SPOKES_CLOSED, "code", "1009");
        TestSpoke alice = connect();
        TestSpoke bob = connect();
        TestSpoke carol = connect();
        alice.subscribe("news");
        bob.subscribe("news");
        bob.subscribe("weather");
        carol.subscribe("x");
        carol.subscribe("y");
        carol.subscribe("z");
        await().atMost(WAIT).until(() -> this.hub.subscriberCount("news") == 2
                && this.hub.subscriberCount("weather") == 1 && this.hub.subscriberCount("y") == 1
                && this.hub.statistics().subscriptionsDenied() == 1);
        assertThat(gauge(FanoutMetrics.SPOKES_ACTIVE)).isEqualTo(3);
        assertThat(gauge(FanoutMetrics.TOPICS_ACTIVE)).isEqualTo(4);
        assertThat(gauge(FanoutMetrics.SUBSCRIPTIONS_ACTIVE)).isEqualTo(5);

        for (int i = 0; i < 10; i++) {
            this.hub.dispatchEvent(Event.of("news", i));
        }
        for (int i = 0; i < 5; i++) {
            this.hub.dispatchEvent(Event.of("weather", i));
        }
        for (int i = 0; i < 4; i++) {
            alice.sendText("{\"type\":\"hello\",\"payload\":" + i + "}");
        }
        bob.sendText("not json");
        bob.sendText("{still not json");
        bob.sendText("{\"type\":\"__subscribe\",\"payload\":{\"topic\":\"\"}}");
        carol.close();
        alice.sendText("{\"type\":\"hello\",\"payload\":\"" + "x".repeat(2000) + "\"}");

        await().atMost(WAIT).until(() -> this.hub.connectionCount() == 1);
        await().atMost(WAIT).until(() -> counter(FanoutMetrics.INBOUND_IGNORED, "reason", "invalid_topic") == 1);
        assertThat(counter(FanoutMetrics.EVENTS_DISPATCHED)).isEqualTo(15);
        assertThat(counter(FanoutMetrics.EVENTS_DELIVERED)).isEqualTo(25);
        assertThat(counter(FanoutMetrics.EVENTS_RECEIVED)).isEqualTo(4);
        assertThat(counter(FanoutMetrics.INBOUND_IGNORED, "reason", "malformed_json")).isEqualTo(2);
        assertThat(counter(FanoutMetrics.SUBSCRIPTIONS_DENIED)).isEqualTo(1);
        assertThat(counter(FanoutMetrics.SPOKES_CLOSED, "code", "1000") - closedNormallyBefore).isEqualTo(1);
        assertThat(counter(FanoutMetrics.SPOKES_CLOSED, "code", "1009") - closedTooBigBefore).isEqualTo(1);
        assertThat(gauge(FanoutMetrics.SPOKES_ACTIVE)).isEqualTo(1);
        assertThat(gauge(FanoutMetrics.TOPICS_ACTIVE)).isEqualTo(2);

        JsonNode delivered = get("/actuator/metrics/" + FanoutMetrics.EVENTS_DELIVERED);
        assertThat(delivered.get("measurements").get(0).get("value").asDouble()).isEqualTo(25);
    }

    @Test
    void theHealthIsUpWithTheSpokesAndTopicsOfNow() throws Exception {
        TestSpoke alice = connect();
        alice.subscribe("news");
        await().atMost(WAIT).until(() -> this.hub.subscriberCount("news") == 1);

        JsonNode health = get("/actuator/health/fanout");

        assertThat(health.get("status").asString()).isEqualTo("UP");
        assertThat(health.get("details").get("broker").asString()).isEqualTo("local");
        assertThat(health.get("details").get("spokes").asInt()).isEqualTo(1);
        assertThat(health.get("details").get("topics").asInt()).isEqualTo(1);
    }

    @Test
    void theEndpointSummarisesTheHubAndLooksUpOneTopicWithoutListingThemAll() throws Exception {
        TestSpoke alice = connect();
        TestSpoke bob = connect();
        alice.subscribe("prices/ACME");
        bob.subscribe("prices/ACME");
        bob.subscribe("chat");
        await().atMost(WAIT).until(() -> this.hub.subscriberCount("prices/ACME") == 2);

        JsonNode summary = get("/actuator/fanout");
        JsonNode topic = get("/actuator/fanout/prices/ACME");
        JsonNode unknown = get("/actuator/fanout/nobody");

        assertThat(summary.get("spokes").asInt()).isEqualTo(2);
        assertThat(summary.get("topics").asInt()).isEqualTo(2);
        assertThat(summary.get("subscriptions").asInt()).isEqualTo(3);
        assertThat(summary.get("broker").asString()).isEqualTo("local");
        assertThat(summary.get("acceptingSpokes").asBoolean()).isTrue();
        assertThat(summary.get("limits").get("maxSubscriptionsPerConnection").asInt()).isEqualTo(2);
        assertThat(summary.has("topicList")).isFalse();
        assertThat(summary.toString()).doesNotContain("prices/ACME");
        assertThat(topic.get("topic").asString()).isEqualTo("prices/ACME");
        assertThat(topic.get("subscribers").asInt()).isEqualTo(2);
        assertThat(topic.get("latestOffset").isNull()).isTrue();
        assertThat(unknown.get("subscribers").asInt()).isZero();
    }

    private TestSpoke connect() {
        TestSpoke spoke = TestSpoke.connect(URI.create("ws://localhost:" + this.port + "/fanout"), Map.of());
        this.spokes.add(spoke);
        return spoke;
    }

    private double counter(String name, String... tags) {
        return this.registry.get(name).tags(tags).functionCounter().count();
    }

    private double gauge(String name) {
        return this.registry.get(name).gauge().value();
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = this.http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
