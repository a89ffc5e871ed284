package dev.fanout.client.endtoend;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;

import dev.fanout.Event;
import dev.fanout.WebSocketServerEventTarget;
import dev.fanout.client.ConnectionState;
import dev.fanout.client.ConnectionStateChange;
import dev.fanout.client.WebSocketClientEventTarget;
import dev.fanout.client.endtoend.HubApplication.Disconnections;

import static dev.fanout.client.endtoend.Clients.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client whose listener blocks: the client stops reading, TCP pushes back, and the hub evicts it as a slow
 * consumer (1013); once the listener returns the client reconnects and resubscribes. The hub's socket send buffer is
 * shrunk to 16 KiB (as in the starter's backpressure tests) so that the TCP path fills after a few hundred KiB.
 */
@SpringBootTest(classes = { HubApplication.class, SlowListenerTests.SmallSendBuffer.class },
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "fanout.backpressure.threshold=256KB", "fanout.send-stall-timeout=1s" })
class SlowListenerTests {

    private static final String FILLER = "x".repeat(8 * 1024);

    private static final int BATCH = 20;

    private static final int MAX_EVENTS = 4000;

    @LocalServerPort
    private int port;

    @Autowired
    private WebSocketServerEventTarget hub;

    @Autowired
    private Disconnections disconnections;

    private final Clients clients = new Clients();

    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void closeClients() {
        this.release.countDown();
        this.clients.close();
    }

    @Test
    void aSlowListenerPushesBackUntilTheHubEvictsWith1013ThenTheClientReconnectsAndResubscribes() {
        WebSocketClientEventTarget slow = this.clients.connect(this.port);
        List<ConnectionStateChange> changes = new CopyOnWriteArrayList<>();
        slow.addStateListener(changes::add);
        List<String> slowReceived = new CopyOnWriteArrayList<>();
        slow.addEventListener("feed", (event) -> {
            awaitRelease();
            slowReceived.add(event.id());
        });
        slow.subscribe("feed");
        WebSocketClientEventTarget healthy = this.clients.connect(this.port);
        List<String> healthyReceived = new CopyOnWriteArrayList<>();
        healthy.addEventListener("feed", (event) -> healthyReceived.add(event.id()));
        healthy.subscribe("feed");
        await().atMost(WAIT).until(() -> this.hub.topicSubscriberCounts().getOrDefault("feed", 0) == 2);

        int dispatched = 0;
        while (!this.disconnections.codes.contains(1013) && dispatched < MAX_EVENTS) {
            for (int i = 0; i < BATCH; i++) {
                this.hub.dispatchEvent(Event.of("feed", "old-" + dispatched++, FILLER));
            }
            int sent = dispatched;
            await().atMost(WAIT).until(() -> healthyReceived.size() == sent);
        }
        await().atMost(WAIT).until(() -> this.disconnections.codes.contains(1013));
        assertThat(this.disconnections.codes).containsExactly(1013);
        assertThat(slowReceived).as("nothing passed the blocked listener").isEmpty();
        assertThat(healthy.state()).isEqualTo(ConnectionState.OPEN);

        this.release.countDown();

        await().atMost(WAIT).until(() -> changes.stream()
            .anyMatch((change) -> change.current() == ConnectionState.RECONNECTING
                    && (change.closeCode() == 1013 || change.closeCode() == 1006)));
        Clients.awaitOpen(slow);
        await().atMost(WAIT).until(() -> this.hub.topicSubscriberCounts().getOrDefault("feed", 0) == 2);
        this.hub.dispatchEvent(Event.of("feed", "new", "after the eviction"));
        await().atMost(WAIT).until(() -> slowReceived.contains("new"));
        assertThat(slowReceived.size()).as("the hub dropped what it could not send").isLessThan(dispatched + 1);
        assertThat(healthyReceived).hasSize(dispatched + 1);
    }

    private void awaitRelease() {
        try {
            this.release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class SmallSendBuffer {

        @Bean
        WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> smallSocketSendBuffer() {
            return (factory) -> factory.addConnectorCustomizers(
                    (connector) -> connector.setProperty("socket.txBufSize", "16384"));
        }
    }
}
