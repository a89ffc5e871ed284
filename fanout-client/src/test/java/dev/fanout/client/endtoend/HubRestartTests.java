package dev.fanout.client.endtoend;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.fanout.Event;
import dev.fanout.WebSocketServerEventTarget;
import dev.fanout.client.ConnectionState;
import dev.fanout.client.ConnectionStateChange;
import dev.fanout.client.Recovery;
import dev.fanout.client.StreamPosition;
import dev.fanout.client.SubscriptionAck;
import dev.fanout.client.WebSocketClientEventTarget;

import static dev.fanout.client.endtoend.Clients.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The hub process goes away and comes back on the same port: the client keeps trying with backoff, keeps what it
 * was asked to send (up to its limit) and restores its subscriptions on the new hub, which lost the history of the old
 * one (a new epoch), so the app is told that it did not recover.
 */
class HubRestartTests {

    private final Clients clients = new Clients();

    private ConfigurableApplicationContext hubContext;

    @AfterEach
    void stopEverything() {
        this.clients.close();
        if (this.hubContext != null) {
            this.hubContext.close();
        }
    }

    @Test
    void afterTheHubRestartsOnTheSamePortTheClientReconnectsResubscribesAndSendsWhatItQueued() {
        this.hubContext = startHub(0);
        int port = ((WebServerApplicationContext) this.hubContext).getWebServer().getPort();
        WebSocketClientEventTarget client = this.clients.create(port, (options) -> options.maxQueuedEvents(5));
        List<ConnectionStateChange> changes = new CopyOnWriteArrayList<>();
        client.addStateListener(changes::add);
        List<String> received = new CopyOnWriteArrayList<>();
        client.addEventListener("news", (event) -> received.add(event.payloadAs(String.class)));
        client.subscribe("news");
        client.start();
        Clients.awaitOpen(client);
        await().atMost(WAIT).until(() -> hub().topicSubscriberCounts().getOrDefault("news", 0) == 1);

        this.hubContext.close();
        await().atMost(WAIT).until(() -> client.state() != ConnectionState.OPEN);
        await().atMost(WAIT).until(() -> changes.stream()
            .filter((change) -> change.current() == ConnectionState.RECONNECTING)
            .anyMatch((change) -> change.attempt() >= 3));
        List<Boolean> accepted = IntStream.range(0, 7)
            .mapToObj((seq) -> client.dispatchEvent(Event.of("chat", "queued-" + seq, null)))
            .toList();
        assertThat(accepted).containsExactly(true, true, true, true, true, false, false);
        assertThat(client.rejectedEventCount()).isEqualTo(2);

        this.hubContext = startHub(port);
        List<Event> receivedByHub = new CopyOnWriteArrayList<>();
        hub().addEventListener("chat", receivedByHub::add);

        Clients.awaitOpen(client);
        await().atMost(WAIT).until(() -> hub().topicSubscriberCounts().getOrDefault("news", 0) == 1);
        await().atMost(WAIT).until(() -> receivedByHub.size() == 5);
        assertThat(receivedByHub).extracting(Event::id)
            .containsExactly("queued-0", "queued-1", "queued-2", "queued-3", "queued-4");
        hub().dispatchEvent(Event.of("news", "from the new hub"));
        await().atMost(WAIT).until(() -> received.contains("from the new hub"));
        assertThat(changes).filteredOn((change) -> change.current() == ConnectionState.RECONNECTING)
            .first()
            .satisfies((change) -> assertThat(change.closeCode()).isIn(1001, 1006));
    }

    @Test
    void aHubRestartedOnTheSamePortHasANewEpochAndTheClientIsToldItDidNotRecover() {
        this.hubContext = startHub(0, "fanout.history.rules[0].pattern=orders");
        int port = ((WebServerApplicationContext) this.hubContext).getWebServer().getPort();
        WebSocketClientEventTarget client = this.clients.create(port, UnaryOperator.identity());
        List<SubscriptionAck> restored = Resubscriptions.of(client).restored;
        List<String> received = new CopyOnWriteArrayList<>();
        client.addEventListener("orders", (event) -> received.add(event.payloadAs(String.class)));
        client.start();
        StreamPosition before = client.subscribe("orders").join().position();
        hub().dispatchEvent(Event.of("orders", "order 1"));
        hub().dispatchEvent(Event.of("orders", "order 2"));
        await().atMost(WAIT).until(() -> received.size() == 2);

        this.hubContext.close();
        await().atMost(WAIT).until(() -> client.state() != ConnectionState.OPEN);
        this.hubContext = startHub(port, "fanout.history.rules[0].pattern=orders");

        await().atMost(WAIT).until(() -> restored.size() == 1);
        SubscriptionAck ack = restored.get(0);
        assertThat(ack.recovery()).isEqualTo(Recovery.NOT_RECOVERED);
        assertThat(ack.mayHaveMissedEvents()).isTrue();
        assertThat(before).isNotNull();
        assertThat(ack.position()).isNotNull();
        assertThat(ack.position().epoch()).isNotEqualTo(before.epoch());
        hub().dispatchEvent(Event.of("orders", "order 1 of the new epoch"));
        await().atMost(WAIT).until(() -> received.size() == 3);
        assertThat(received).containsExactly("order 1", "order 2", "order 1 of the new epoch");
        assertThat(client.position("orders")).contains(new StreamPosition(ack.position().epoch(), 1));
    }

    private WebSocketServerEventTarget hub() {
        return this.hubContext.getBean(WebSocketServerEventTarget.class);
    }

    private static ConfigurableApplicationContext startHub(int port, String... properties) {
        return new SpringApplicationBuilder(HubApplication.class).properties("server.port=" + port)
            .properties(properties)
            .run();
    }
}
