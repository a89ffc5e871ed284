package dev.fanout.client.endtoend;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
import dev.fanout.client.Recovery;
import dev.fanout.client.SubscriptionAck;
import dev.fanout.client.WebSocketClientEventTarget;
import dev.fanout.client.endtoend.HubApplication.Disconnections;

import static dev.fanout.client.endtoend.Clients.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client whose listener blocks: the client stops reading, TCP pushes back, and the hub evicts it as a slow
 * consumer (1013); once the listener returns the client reconnects and resubscribes, and on a topic with history
 * ({@code journal}) it recovers every event it missed. The hub's socket send buffer is shrunk to 16 KiB (as in the
 * starter's backpressure tests) so that the TCP path fills after a few hundred KiB.
 */
@SpringBootTest(classes = { HubApplication.class, SlowListenerTests.SmallSendBuffer.class },
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "fanout.backpressure.threshold=256KB", "fanout.send-stall-timeout=1s",
            "fanout.history.rules[0].pattern=journal", "fanout.history.rules[0].size=5000",
            "fanout.history.max-recovered-events=5000" })
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

    @BeforeEach
    void hubStartsWithoutSpokes() {
        await().atMost(WAIT).until(() -> this.hub.connectionCount() == 0);
        this.disconnections.codes.clear();
    }

    @AfterEach
    void closeClients() {
        this.release.countDown();
        this.clients.close();
    }

    @Test
    void aSlowListenerPushesBackUntilTheHubEvictsWith1013ThenTheClientReconnectsAndResubscribes() {
        Eviction eviction = evictSlowClientFrom("feed");

        assertThat(eviction.slowReceived).as("nothing passed the blocked listener").isEmpty();
        this.release.countDown();

        awaitReconnectAfterTheEviction(eviction);
        this.hub.dispatchEvent(Event.of("feed", "new", "after the eviction"));
        await().atMost(WAIT).until(() -> eviction.slowReceived.contains("new"));
        assertThat(eviction.slowReceived.size()).as("the hub dropped what it could not send")
            .isLessThan(eviction.dispatched + 1);
        assertThat(eviction.healthyReceived).hasSize(eviction.dispatched + 1);
    }

    @Test
    void onATopicWithHistoryTheClientEvictedWith1013RecoversEveryEventItMissedInOrder() {
        Eviction eviction = evictSlowClientFrom("journal");

        this.release.countDown();

        awaitReconnectAfterTheEviction(eviction);
        this.hub.dispatchEvent(Event.of("journal", "new", "after the eviction"));
        List<String> everyEvent = new ArrayList<>(
                IntStream.range(0, eviction.dispatched).mapToObj((n) -> "old-" + n).toList());
        everyEvent.add("new");
        await().atMost(WAIT).until(() -> eviction.slowReceived.size() >= everyEvent.size());
        assertThat(eviction.slowReceived).containsExactlyElementsOf(everyEvent);
        assertThat(eviction.restored).isNotEmpty()
            .allSatisfy((ack) -> assertThat(ack.recovery()).isEqualTo(Recovery.RECOVERED));
    }

    /**
     * Subscribes a slow client (its listener blocks until {@code release}) and a healthy one, then dispatches
     * batches of events until the hub evicts the slow one with 1013.
     */
    private Eviction evictSlowClientFrom(String topic) {
        WebSocketClientEventTarget slow = this.clients.connect(this.port);
        Eviction eviction = new Eviction(topic, slow);
        slow.addStateListener(eviction.changes::add);
        slow.addEventListener(topic, (event) -> {
            awaitRelease();
            eviction.slowReceived.add(event.id());
        });
        slow.subscribe(topic).join();
        WebSocketClientEventTarget healthy = this.clients.connect(this.port);
        healthy.addEventListener(topic, (event) -> eviction.healthyReceived.add(event.id()));
        healthy.subscribe(topic).join();

        while (!this.disconnections.codes.contains(1013) && eviction.dispatched < MAX_EVENTS) {
            for (int i = 0; i < BATCH; i++) {
                this.hub.dispatchEvent(Event.of(topic, "old-" + eviction.dispatched++, FILLER));
            }
            int sent = eviction.dispatched;
            await().atMost(WAIT).until(() -> eviction.healthyReceived.size() == sent);
        }
        await().atMost(WAIT).until(() -> this.disconnections.codes.contains(1013));
        assertThat(this.disconnections.codes).containsExactly(1013);
        assertThat(healthy.state()).isEqualTo(ConnectionState.OPEN);
        return eviction;
    }

    private void awaitReconnectAfterTheEviction(Eviction eviction) {
        await().atMost(WAIT).until(() -> eviction.changes.stream()
            .anyMatch((change) -> change.current() == ConnectionState.RECONNECTING
                    && (change.closeCode() == 1013 || change.closeCode() == 1006)));
        Clients.awaitOpen(eviction.slow);
        await().atMost(WAIT).until(() -> this.hub.topicSubscriberCounts().getOrDefault(eviction.topic, 0) == 2);
    }

    private void awaitRelease() {
        try {
            this.release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** One slow client's eviction: what each client received and how many events were dispatched. */
    private static final class Eviction {

        final String topic;

        final WebSocketClientEventTarget slow;

        final List<ConnectionStateChange> changes = new CopyOnWriteArrayList<>();

        final List<String> slowReceived = new CopyOnWriteArrayList<>();

        final List<SubscriptionAck> restored;

        final List<String> healthyReceived = new CopyOnWriteArrayList<>();

        int dispatched;

        Eviction(String topic, WebSocketClientEventTarget slow) {
            this.topic = topic;
            this.slow = slow;
            this.restored = Resubscriptions.of(slow).restored;
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
