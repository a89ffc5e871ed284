package dev.fanout.redis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

import io.lettuce.core.RedisURI;

import dev.fanout.BrokerState;
import dev.fanout.WebSocketServerEventTarget;
import dev.fanout.WebSocketServerOptions;
import dev.fanout.redis.testing.RedisServer;
import dev.fanout.testing.InMemoryRawSocket;

import static org.awaitility.Awaitility.await;

/**
 * One node of a test cluster: a hub with in-memory spokes and its {@link RedisBroker}, with the broker states the
 * hub was told.
 */
final class ClusterNode implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(30);

    final RedisBroker broker;

    final WebSocketServerEventTarget hub;

    final List<BrokerState> states = new CopyOnWriteArrayList<>();

    private ClusterNode(RedisBrokerOptions options, UnaryOperator<WebSocketServerOptions.Builder> hubOptions) {
        this.broker = RedisBroker.create(options);
        this.hub = WebSocketServerEventTarget.create(hubOptions.apply(WebSocketServerOptions.builder()
            .broker(this.broker)
            .onBrokerStateChange(this.states::add)).build());
    }

    static RedisBrokerOptions.Builder options(RedisServer redis) {
        return RedisBrokerOptions.builder(RedisURI.builder()
                .withHost("127.0.0.1")
                .withPort(redis.port())
                .withTimeout(Duration.ofSeconds(2))
                .build())
            .unsubscribeDelay(Duration.ofMillis(200))
            .reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(500));
    }

    static ClusterNode start(RedisServer redis) {
        return start(options(redis).build());
    }

    static ClusterNode start(RedisBrokerOptions options) {
        return start(options, UnaryOperator.identity());
    }

    static ClusterNode start(RedisBrokerOptions options, UnaryOperator<WebSocketServerOptions.Builder> hubOptions) {
        ClusterNode node = new ClusterNode(options, hubOptions);
        return node;
    }

    ClusterNode awaitUp() {
        await().atMost(WAIT).until(() -> this.broker.state() == BrokerState.UP);
        return this;
    }

    /** Connects a spoke subscribed to the topics and waits until Redis confirmed them. */
    InMemoryRawSocket spoke(String name, String... topics) {
        InMemoryRawSocket socket = new InMemoryRawSocket(name);
        this.hub.addConnection(socket);
        for (String topic : topics) {
            socket.receiveText("{\"type\":\"__subscribe\",\"payload\":{\"topic\":\"" + topic + "\"}}");
        }
        for (String topic : topics) {
            this.broker.subscribe(topic).toCompletableFuture().join();
        }
        return socket;
    }

    @Override
    public void close() {
        this.broker.close();
    }

    @Override
    public String toString() {
        return this.broker.toString();
    }
}
