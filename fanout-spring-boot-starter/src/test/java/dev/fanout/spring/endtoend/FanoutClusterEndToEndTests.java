package dev.fanout.spring.endtoend;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.fanout.BrokerState;
import dev.fanout.Event;
import dev.fanout.WebSocketServerEventTarget;
import dev.fanout.redis.RedisBroker;
import dev.fanout.redis.testing.RedisServer;
import dev.fanout.testing.TestSpoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three nodes of the starter, each a Spring Boot application on its own random port in this JVM, clustered with
 * {@code fanout.broker.type=redis} over a real {@code redis-server}, with real WebSocket spokes on each node.
 */
@Timeout(180)
class FanoutClusterEndToEndTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static RedisServer redis;

    private static final List<ConfigurableApplicationContext> nodes = new ArrayList<>();

    private final List<TestSpoke> spokes = new ArrayList<>();

    private final Map<TestSpoke, ConfigurableApplicationContext> nodeOf = new HashMap<>();

    @BeforeAll
    static void startRedisAndThreeNodes() {
        redis = RedisServer.start();
        for (int i = 0; i < 3; i++) {
            nodes.add(new SpringApplicationBuilder(FanoutTestApplication.class)
                .properties("server.port=0", "fanout.broker.type=redis", "spring.data.redis.host=127.0.0.1",
                        "spring.data.redis.port=" + redis.port(), "fanout.broker.redis.unsubscribe-delay=100ms",
                        "fanout.broker.redis.max-reconnect-delay=500ms")
                .run());
        }
        nodes.forEach((node) -> await().atMost(WAIT).until(() -> broker(node).state() == BrokerState.UP));
    }

    @AfterAll
    static void stopNodesAndRedis() {
        nodes.forEach(ConfigurableApplicationContext::close);
        if (redis != null) {
            redis.close();
        }
    }

    @AfterEach
    void closeSpokes() {
        this.spokes.forEach(TestSpoke::close);
        nodes.forEach((node) -> await().atMost(WAIT).until(() -> hub(node).connectionCount() == 0));
    }

    @Test
    void dispatchEventOnAnyNodeReachesEverySpokeSubscribedOnEveryNodeExactlyOnce() {
        List<TestSpoke> subscribers = new ArrayList<>();
        for (ConfigurableApplicationContext node : nodes) {
            subscribers.add(connect(node, "scores"));
            subscribers.add(connect(node, "scores"));
        }
        TestSpoke unrelated = connect(nodes.get(1), "weather");
        awaitRedisSubscribers("scores", 3);

        for (int i = 0; i < nodes.size(); i++) {
            hub(nodes.get(i)).dispatchEvent(Event.of("scores", "from node " + i));
        }
        for (ConfigurableApplicationContext node : nodes) {
            hub(node).dispatchEvent(Event.of("scores", "end"));
        }

        String end = "{\"type\":\"scores\",\"payload\":\"end\"}";
        await().atMost(WAIT).until(() -> subscribers.stream()
            .allMatch((spoke) -> spoke.messages().stream().filter(end::equals).count() == 3));
        List<String> expected = new ArrayList<>(List.of(end, end, end));
        IntStream.range(0, nodes.size())
            .forEach((i) -> expected.add("{\"type\":\"scores\",\"payload\":\"from node " + i + "\"}"));
        assertThat(subscribers).allSatisfy((spoke) -> assertThat(spoke.messages())
            .containsExactlyInAnyOrderElementsOf(expected));
        assertThat(unrelated.messages()).isEmpty();
    }

    @Test
    void eventsDispatchedOneAfterAnotherOnOneNodeReachTheSpokesOfEveryNodeInThatOrder() {
        List<TestSpoke> subscribers = nodes.stream().map((node) -> connect(node, "ticker")).toList();
        awaitRedisSubscribers("ticker", 3);

        List<String> expected = new ArrayList<>();
        for (int n = 0; n < 500; n++) {
            hub(nodes.get(0)).dispatchEvent(Event.of("ticker", n));
            expected.add("{\"type\":\"ticker\",\"payload\":" + n + "}");
        }

        await().atMost(WAIT).until(() -> subscribers.stream().allMatch((spoke) -> spoke.messages().size() == 500));
        assertThat(subscribers).allSatisfy((spoke) -> assertThat(spoke.messages()).containsExactlyElementsOf(expected));
    }

    @Test
    void afterSpokesChurnEachNodeIsSubscribedInRedisToExactlyTheTopicsItsOwnSpokesNeed() {
        List<String> topics = IntStream.range(0, 6).mapToObj((n) -> "churn-" + n).toList();
        List<TestSpoke> open = new ArrayList<>();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 60; i++) {
            ConfigurableApplicationContext node = nodes.get(random.nextInt(nodes.size()));
            String topic = topics.get(random.nextInt(topics.size()));
            if (open.isEmpty() || random.nextInt(3) > 0) {
                open.add(connect(node, topic));
            }
            else {
                open.remove(random.nextInt(open.size())).close();
            }
        }
        nodes.forEach((node) -> await().atMost(WAIT)
            .until(() -> hub(node).connectionCount() == countOn(node, open)));

        await().atMost(WAIT).until(() -> topics.stream()
            .allMatch((topic) -> redis.subscribers("fanout.t." + topic) == nodesNeeding(topic)));
        Set<String> needed = nodes.stream()
            .flatMap((node) -> hub(node).topicSubscriberCounts().keySet().stream())
            .map((topic) -> "fanout.t." + topic)
            .collect(Collectors.toSet());
        assertThat(redis.activeChannels("fanout.t.churn-*")).isEqualTo(needed);
    }

    @Test
    void whenRedisRestartsEveryNodeReconnectsAndResubscribesWithoutARestart() {
        TestSpoke first = connect(nodes.get(0), "alerts");
        TestSpoke third = connect(nodes.get(2), "alerts");
        awaitRedisSubscribers("alerts", 2);

        redis.kill();
        nodes.forEach((node) -> await().atMost(WAIT).until(() -> broker(node).state() == BrokerState.DOWN));
        hub(nodes.get(0)).dispatchEvent(Event.of("alerts", "during the outage"));
        await().atMost(WAIT).until(() -> first.messages().size() == 1);

        redis.restart();
        nodes.forEach((node) -> await().atMost(WAIT).until(() -> broker(node).state() == BrokerState.UP));
        awaitRedisSubscribers("alerts", 2);
        hub(nodes.get(0)).dispatchEvent(Event.of("alerts", "after the outage"));

        await().atMost(WAIT).until(() -> third.messages().size() == 1);
        assertThat(third.messages()).containsExactly("{\"type\":\"alerts\",\"payload\":\"after the outage\"}");
        assertThat(first.messages()).hasSize(2);
    }

    private TestSpoke connect(ConfigurableApplicationContext node, String topic) {
        int before = hub(node).topicSubscriberCounts().getOrDefault(topic, 0);
        TestSpoke spoke = TestSpoke.connect(URI.create("ws://localhost:" + port(node) + "/fanout"));
        this.spokes.add(spoke);
        this.nodeOf.put(spoke, node);
        spoke.subscribe(topic);
        await().atMost(WAIT).until(() -> hub(node).topicSubscriberCounts().getOrDefault(topic, 0) > before);
        return spoke;
    }

    private static void awaitRedisSubscribers(String topic, int nodeCount) {
        await().atMost(WAIT).until(() -> redis.subscribers("fanout.t." + topic) == nodeCount);
        nodes.forEach((node) -> {
            if (hub(node).topicSubscriberCounts().containsKey(topic)) {
                broker(node).subscribe(topic).toCompletableFuture().join();
            }
        });
    }

    private static long nodesNeeding(String topic) {
        return nodes.stream().filter((node) -> hub(node).topicSubscriberCounts().containsKey(topic)).count();
    }

    private long countOn(ConfigurableApplicationContext node, List<TestSpoke> open) {
        return open.stream().filter((spoke) -> this.nodeOf.get(spoke) == node).count();
    }

    private static WebSocketServerEventTarget hub(ConfigurableApplicationContext node) {
        return node.getBean(WebSocketServerEventTarget.class);
    }

    private static RedisBroker broker(ConfigurableApplicationContext node) {
        return node.getBean(RedisBroker.class);
    }

    private static int port(ConfigurableApplicationContext node) {
        return ((WebServerApplicationContext) node).getWebServer().getPort();
    }
}
