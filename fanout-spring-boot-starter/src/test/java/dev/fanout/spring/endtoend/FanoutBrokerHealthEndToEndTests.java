package dev.fanout.spring.endtoend;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.fanout.Event;
import dev.fanout.WebSocketServerEventTarget;
import dev.fanout.redis.testing.RedisServer;
import dev.fanout.spring.metrics.FanoutMetrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code fanout} health indicator and the broker meters of a node clustered over a real {@code redis-server}
 * that is killed and restarted.
 */
@Timeout(180)
class FanoutBrokerHealthEndToEndTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static RedisServer redis;

    private static ConfigurableApplicationContext node;

    @BeforeAll
    static void startRedisAndANode() {
        redis = RedisServer.start();
        node = new SpringApplicationBuilder(FanoutTestApplication.class)
            .properties("server.port=0", "fanout.broker.type=redis", "spring.data.redis.host=127.0.0.1",
                    "spring.data.redis.port=" + redis.port(), "fanout.broker.redis.max-reconnect-delay=500ms",
                    "management.endpoint.health.show-details=always", "fanout.shutdown.drain-period=0s")
            .run();
    }

    @AfterAll
    static void stopNodeAndRedis() {
        if (node != null) {
            node.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void theHealthIsDownWhileRedisIsKilledAndUpAgainOnceItIsRestarted() throws Exception {
        await().atMost(WAIT).until(() -> "UP".equals(fanoutHealth().path("status").stringValue("")));
        assertThat(fanoutHealth().path("details").path("broker").stringValue("")).isEqualTo("up");

        redis.kill();
        await().atMost(WAIT).until(() -> "DOWN".equals(fanoutHealth().path("status").stringValue("")));
        assertThat(fanoutHealth().path("details").path("broker").stringValue("")).isEqualTo("down");

        redis.restart();
        await().atMost(WAIT).until(() -> "UP".equals(fanoutHealth().path("status").stringValue("")));
    }

    @Test
    void theBrokerMetersCountWhatThisNodePublished() throws Exception {
        await().atMost(WAIT).until(() -> "UP".equals(fanoutHealth().path("status").stringValue("")));
        MeterRegistry registry = node.getBean(MeterRegistry.class);
        double before = registry.get(FanoutMetrics.BROKER_PUBLISHED).functionCounter().count();

        node.getBean(WebSocketServerEventTarget.class).dispatchEvent(Event.of("news", 1));

        await().atMost(WAIT)
            .until(() -> registry.get(FanoutMetrics.BROKER_PUBLISHED).functionCounter().count() == before + 1);
        assertThat(registry.find(FanoutMetrics.BROKER_RECEIVED).functionCounter()).isNotNull();
        assertThat(registry.find(FanoutMetrics.BROKER_DROPPED).functionCounter()).isNotNull();
        assertThat(registry.find(FanoutMetrics.BROKER_LAG).functionTimer()).isNotNull();
    }

    private static JsonNode fanoutHealth() throws Exception {
        String port = node.getEnvironment().getProperty("local.server.port");
        HttpResponse<String> response = HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health/fanout")).build(),
                    HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }
}
