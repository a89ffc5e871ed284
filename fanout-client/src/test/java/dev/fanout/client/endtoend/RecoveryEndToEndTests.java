package dev.fanout.client.endtoend;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;

import dev.fanout.client.ConnectionState;
import dev.fanout.client.HubErrorException;
import dev.fanout.client.Recovery;
import dev.fanout.client.StreamPosition;
import dev.fanout.client.SubscriptionAck;
import dev.fanout.client.SubscriptionListener;
import dev.fanout.client.WebSocketClientEventTarget;

import static dev.fanout.client.endtoend.Clients.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The client's half of recovery (issue 13) over a real connection, against {@link HistoryHub}, a stand-in that speaks
 * issue 13's wire format: the client tracks the last offset, resubscribes with {@code since}, and tells the app per
 * topic whether the hub recovered. Against the real hub these tests wait for the history issue.
 */
@SpringBootTest(classes = { HubApplication.class, RecoveryEndToEndTests.HistoryHubEndpoint.class },
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RecoveryEndToEndTests {

    @LocalServerPort
    private int port;

    @Autowired
    private HistoryHub historyHub;

    private final Clients clients = new Clients();

    private final List<SubscriptionAck> restored = new CopyOnWriteArrayList<>();

    private final List<String> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void freshHistory() {
        this.historyHub.reset();
    }

    @AfterEach
    void closeClients() {
        this.clients.close();
    }

    @Test
    void aClientThatWasAwayWhile500EventsWereDispatchedRecoversExactlyThoseInOrder() {
        WebSocketClientEventTarget client = subscribedClient();
        publish(1, 10);
        await().atMost(WAIT).until(() -> this.received.size() == 10);
        assertThat(client.position("chat")).contains(new StreamPosition("epoch-1", 10));

        this.historyHub.goDown();
        await().atMost(WAIT).until(() -> client.state() != ConnectionState.OPEN);
        publish(11, 510);
        this.historyHub.comeBack();

        await().atMost(WAIT).until(() -> this.restored.size() == 1);
        assertThat(this.restored.get(0).recovery()).isEqualTo(Recovery.RECOVERED);
        assertThat(this.restored.get(0).mayHaveMissedEvents()).isFalse();
        publish(511, 520);
        await().atMost(WAIT).until(() -> this.received.size() == 520);
        assertThat(this.received).containsExactlyElementsOf(
                IntStream.rangeClosed(1, 520).mapToObj((n) -> "event " + n).toList());
        assertThat(client.position("chat")).contains(new StreamPosition("epoch-1", 520));
    }

    @Test
    void whenTheHubLostItsHistoryTheResubscriptionSaysNotRecovered() {
        WebSocketClientEventTarget client = subscribedClient();
        publish(1, 3);
        await().atMost(WAIT).until(() -> this.received.size() == 3);

        this.historyHub.goDown();
        await().atMost(WAIT).until(() -> client.state() != ConnectionState.OPEN);
        this.historyHub.loseHistory();
        this.historyHub.comeBack();

        await().atMost(WAIT).until(() -> this.restored.size() == 1);
        assertThat(this.restored.get(0).recovery()).isEqualTo(Recovery.NOT_RECOVERED);
        assertThat(this.restored.get(0).mayHaveMissedEvents()).isTrue();
        assertThat(client.position("chat")).contains(new StreamPosition("epoch-2", 0));
    }

    private WebSocketClientEventTarget subscribedClient() {
        WebSocketClientEventTarget client = this.clients
            .create(URI.create("ws://localhost:" + this.port + "/recovering"), UnaryOperator.identity());
        client.addEventListener("chat", (event) -> this.received.add(event.payloadAs(String.class)));
        client.addSubscriptionListener(new SubscriptionListener() {

            @Override
            public void onRestored(SubscriptionAck ack) {
                RecoveryEndToEndTests.this.restored.add(ack);
            }

            @Override
            public void onRefused(String topic, HubErrorException error) {
            }
        });
        client.start();
        SubscriptionAck first = client.subscribe("chat").join();
        assertThat(first.recovery()).isEqualTo(Recovery.NOT_REQUESTED);
        assertThat(first.position()).isEqualTo(new StreamPosition("epoch-1", 0));
        return client;
    }

    private void publish(int from, int to) {
        IntStream.rangeClosed(from, to).forEach((n) -> this.historyHub.publish("chat", "event " + n));
    }

    @TestConfiguration(proxyBeanMethods = false)
    @EnableWebSocket
    static class HistoryHubEndpoint {

        @Bean
        HistoryHub historyHub() {
            return new HistoryHub();
        }

        @Bean
        WebSocketConfigurer historyHubRegistration(HistoryHub historyHub) {
            return (registry) -> registry.addHandler(historyHub, "/recovering").addInterceptors(historyHub);
        }
    }
}
