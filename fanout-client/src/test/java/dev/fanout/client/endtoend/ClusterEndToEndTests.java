package dev.fanout.client.endtoend;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
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
import dev.fanout.client.Recovery;
import dev.fanout.client.SubscriptionAck;
import dev.fanout.client.WebSocketClientEventTarget;
import dev.fanout.redis.RedisBroker;
import dev.fanout.redis.testing.RedisServer;

import static dev.fanout.client.endtoend.Clients.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The client against a cluster: two nodes of the starter, each on Tomcat on its own random port in this JVM,
 * clustered with {@code fanout.broker.type=redis} over a real {@code redis-server} (a third node joins for the test
 * in which a node shuts down). A {@link TcpRelay} stands in for the load balancer that sends a reconnecting client to
 * another node.
 */
@Timeout(180)
class ClusterEndToEndTests {

    private static RedisServer redis;

    private static final List<ConfigurableApplicationContext> nodes = new ArrayList<>();

    private final Clients clients = new Clients();

    private TcpRelay balancer;

    @BeforeAll
    static void startRedisAndTwoNodes() {
        redis = RedisServer.start();
        for (int i = 0; i < 2; i++) {
            nodes.add(startNode());
        }
    }

    private static ConfigurableApplicationContext startNode(String... properties) {
        ConfigurableApplicationContext node = new SpringApplicationBuilder(HubApplication.class)
            .properties("server.port=0", "fanout.broker.type=redis", "spring.data.redis.host=127.0.0.1",
                    "spring.data.redis.port=" + redis.port(), "fanout.broker.redis.unsubscribe-delay=100ms",
                    "fanout.broker.redis.max-reconnect-delay=500ms")
            .properties(properties)
            .run();
        await().atMost(WAIT).until(() -> node.getBean(RedisBroker.class).state() == BrokerState.UP);
        return node;
    }

    @AfterAll
    static void stopNodesAndRedis() {
        nodes.forEach(ConfigurableApplicationContext::close);
        nodes.clear();
        if (redis != null) {
            redis.close();
        }
    }

    @AfterEach
    void closeClients() {
        this.clients.close();
        if (this.balancer != null) {
            this.balancer.close();
        }
        nodes.forEach((node) -> await().atMost(WAIT).until(() -> hub(node).connectionCount() == 0));
    }

    @Test
    void fromTheAckOnEventsDispatchedOnEitherNodeReachTheClientsOfBothNodesInTheOrderOfEachNode() {
        List<List<String>> received = new ArrayList<>();
        for (ConfigurableApplicationContext node : nodes) {
            WebSocketClientEventTarget client = this.clients.create(endpoint(node), UnaryOperator.identity());
            List<String> payloads = new CopyOnWriteArrayList<>();
            received.add(payloads);
            client.addEventListener("scores", (event) -> payloads.add(event.payloadAs(String.class)));
            client.start();
            client.subscribe("scores").join();
        }

        for (int n = 0; n < 100; n++) {
            hub(nodes.get(0)).dispatchEvent(Event.of("scores", "first " + n));
            hub(nodes.get(1)).dispatchEvent(Event.of("scores", "second " + n));
        }

        for (List<String> payloads : received) {
            await().atMost(WAIT).until(() -> payloads.size() == 200);
            assertThat(payloads.stream().filter((text) -> text.startsWith("first ")).toList())
                .containsExactlyElementsOf(numbered("first ", 100));
            assertThat(payloads.stream().filter((text) -> text.startsWith("second ")).toList())
                .containsExactlyElementsOf(numbered("second ", 100));
        }
    }

    @Test
    void aClientClosedByItsNodeReconnectsToTheOtherNodeAndKeepsItsSubscriptions() {
        ConfigurableApplicationContext first = nodes.get(0);
        ConfigurableApplicationContext second = nodes.get(1);
        this.balancer = TcpRelay.to(port(first));
        WebSocketClientEventTarget client = this.clients.create(this.balancer.endpoint(), UnaryOperator.identity());
        List<String> received = new CopyOnWriteArrayList<>();
        client.addEventListener("alerts", (event) -> received.add(event.payloadAs(String.class)));
        client.addEventListener("scores", (event) -> received.add(event.payloadAs(String.class)));
        List<SubscriptionAck> restored = Resubscriptions.of(client).restored;
        client.start();
        client.subscribe("alerts").join();
        client.subscribe("scores").join();
        assertThat(hub(first).connectionCount()).isEqualTo(1);

        this.balancer.pointAt(port(second));
        hub(first).connections().forEach((spoke) -> spoke.socket().close(1001, "node going away"));

        await().atMost(WAIT).until(() -> restored.size() == 2);
        assertThat(restored).extracting(SubscriptionAck::topic).containsExactlyInAnyOrder("alerts", "scores");
        assertThat(restored).extracting(SubscriptionAck::recovery).containsOnly(Recovery.NOT_REQUESTED);
        assertThat(hub(first).connectionCount()).isZero();
        assertThat(hub(second).topicSubscriberCounts()).containsEntry("alerts", 1).containsEntry("scores", 1);
        hub(first).dispatchEvent(Event.of("alerts", "from the node it left"));
        hub(second).dispatchEvent(Event.of("scores", "from its new node"));
        await().atMost(WAIT).until(() -> received.size() == 2);
        assertThat(received).containsExactlyInAnyOrder("from the node it left", "from its new node");
    }

    @Test
    void theClientsOfANodeThatShutsDownMoveToAnotherNodeWithTheirSubscriptions() {
        ConfigurableApplicationContext leaving = startNode("fanout.shutdown.drain-period=200ms");
        try {
            ConfigurableApplicationContext staying = nodes.get(1);
            this.balancer = TcpRelay.to(port(leaving));
            List<List<String>> received = new ArrayList<>();
            List<List<SubscriptionAck>> restored = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                WebSocketClientEventTarget client = this.clients.create(this.balancer.endpoint(),
                        UnaryOperator.identity());
                List<String> payloads = new CopyOnWriteArrayList<>();
                received.add(payloads);
                client.addEventListener("orders", (event) -> payloads.add(event.payloadAs(String.class)));
                restored.add(Resubscriptions.of(client).restored);
                client.start();
                client.subscribe("orders").join();
            }
            assertThat(hub(leaving).connectionCount()).isEqualTo(3);

            this.balancer.pointAt(port(staying));
            leaving.close();

            restored.forEach((acks) -> await().atMost(WAIT).until(() -> acks.size() == 1));
            assertThat(hub(staying).topicSubscriberCounts()).containsEntry("orders", 3);
            hub(nodes.get(0)).dispatchEvent(Event.of("orders", "after the move"));
            received.forEach((payloads) -> await().atMost(WAIT).until(() -> payloads.contains("after the move")));
        }
        finally {
            leaving.close();
        }
    }

    private static List<String> numbered(String prefix, int count) {
        return IntStream.range(0, count).mapToObj((n) -> prefix + n).toList();
    }

    private static URI endpoint(ConfigurableApplicationContext node) {
        return Clients.endpoint(port(node));
    }

    private static int port(ConfigurableApplicationContext node) {
        return ((WebServerApplicationContext) node).getWebServer().getPort();
    }

    private static WebSocketServerEventTarget hub(ConfigurableApplicationContext node) {
        return node.getBean(WebSocketServerEventTarget.class);
    }
}
