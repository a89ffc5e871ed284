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
import dev.fanout.client.HubErrorException;
import dev.fanout.client.Recovery;
import dev.fanout.client.SubscriptionAck;
import dev.fanout.client.SubscriptionListener;
import dev.fanout.client.WebSocketClientEventTarget;
import dev.fanout.redis.RedisBroker;
import dev.fanout.redis.testing.RedisServer;

import static dev.fanout.client.endtoend.Clients.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The client against a cluster: two nodes of the starter, each on Tomcat on its own random port in this JVM,
 * clustered with {@code fanout.broker.type=redis} over a real {@code redis-server}. A {@link TcpRelay} stands in
 * for the load balancer that sends a reconnecting client to another node.
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
            nodes.add(new SpringApplicationBuilder(HubApplication.class)
                .properties("server.port=0", "fanout.broker.type=redis", "spring.data.redis.host=127.0.0.1",
                        "spring.data.redis.port=" + redis.port(), "fanout.broker.redis.unsubscribe-delay=100ms",
                        "fanout.broker.redis.max-reconnect-delay=500ms")
                .run());
        }
        nodes.forEach((node) -> await().atMost(WAIT)
            .until(() -> node.getBean(RedisBroker.class).state() == BrokerState.UP));
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
        List<SubscriptionAck> restored = new CopyOnWriteArrayList<>();
        client.addSubscriptionListener(new SubscriptionListener() {

            @Override
            public void onRestored(SubscriptionAck ack) {
                restored.add(ack);
            }

            @Override
            public void onRefused(String topic, HubErrorException error) {
            }
        });
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
