package dev.fanout.client.endtoend;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.fanout.Event;
import dev.fanout.WebSocketServerEventTarget;
import dev.fanout.client.ConnectionState;
import dev.fanout.client.Recovery;
import dev.fanout.client.StreamPosition;
import dev.fanout.client.SubscribeOptions;
import dev.fanout.client.SubscriptionAck;
import dev.fanout.client.WebSocketClientEventTarget;
import dev.fanout.client.endtoend.HubApplication.HandshakeGate;

import static dev.fanout.client.endtoend.Clients.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Recovery against the real hub (the starter on Tomcat) with history rules: {@code chat} keeps 1000 events,
 * {@code ticker} and {@code prices.*} keep only their latest few, {@code news} keeps none. The client is kept away
 * by the {@link HandshakeGate} while the hub dispatches the events it misses.
 */
@SpringBootTest(classes = HubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "fanout.history.rules[0].pattern=chat", "fanout.history.rules[0].size=1000",
            "fanout.history.rules[1].pattern=ticker", "fanout.history.rules[1].size=5",
            "fanout.history.rules[2].pattern=prices.*", "fanout.history.rules[2].size=1" })
class RecoveryEndToEndTests {

    @LocalServerPort
    private int port;

    @Autowired
    private WebSocketServerEventTarget hub;

    @Autowired
    private HandshakeGate gate;

    private final Clients clients = new Clients();

    private List<SubscriptionAck> restored = List.of();

    private final Map<String, List<String>> received = new ConcurrentHashMap<>();

    @BeforeEach
    void hubStartsWithoutSpokes() {
        await().atMost(WAIT).until(() -> this.hub.connectionCount() == 0);
    }

    @AfterEach
    void closeClientsAndOpenTheGate() {
        this.clients.close();
        this.gate.open();
    }

    @Test
    void afterTheHubClosesEveryConnectionTheClientRecoversExactlyThe500EventsItMissedInOrder() {
        WebSocketClientEventTarget client = client("chat");
        SubscriptionAck first = client.subscribe("chat").join();
        assertThat(first.recovery()).isEqualTo(Recovery.NOT_REQUESTED);
        String epoch = first.position().epoch();
        dispatch("chat", 1, 10);
        await().atMost(WAIT).until(() -> received("chat").size() == 10);
        assertThat(client.position("chat")).contains(new StreamPosition(epoch, first.position().offset() + 10));

        keepAwayWhile(client, () -> dispatch("chat", 11, 510));

        await().atMost(WAIT).until(() -> this.restored.size() == 1);
        assertThat(this.restored.get(0).recovery()).isEqualTo(Recovery.RECOVERED);
        assertThat(this.restored.get(0).mayHaveMissedEvents()).isFalse();
        dispatch("chat", 511, 520);
        await().atMost(WAIT).until(() -> received("chat").size() == 520);
        assertThat(received("chat")).containsExactlyElementsOf(numbered(1, 520));
        assertThat(client.position("chat")).contains(new StreamPosition(epoch, first.position().offset() + 520));
    }

    @Test
    void afterAReconnectTheAppLearnsPerTopicWhetherItRecovered() {
        WebSocketClientEventTarget client = client("chat", "ticker", "news");
        client.subscribe("chat").join();
        client.subscribe("ticker").join();
        client.subscribe("news").join();

        keepAwayWhile(client, () -> {
            dispatch("chat", 1, 3);
            dispatch("ticker", 1, 10);
            dispatch("news", 1, 2);
        });

        await().atMost(WAIT).until(() -> this.restored.size() == 3);
        assertThat(this.restored).extracting(SubscriptionAck::topic, SubscriptionAck::recovery,
                SubscriptionAck::mayHaveMissedEvents)
            .containsExactlyInAnyOrder(
                    tuple("chat", Recovery.RECOVERED, false),
                    tuple("ticker", Recovery.NOT_RECOVERED, true),
                    tuple("news", Recovery.NOT_REQUESTED, true));
        dispatch("chat", 4, 4);
        dispatch("ticker", 11, 11);
        dispatch("news", 3, 3);
        await().atMost(WAIT).until(() -> received("chat").size() == 4 && received("ticker").size() == 1
                && received("news").size() == 1);
        assertThat(received("chat")).containsExactlyElementsOf(numbered(1, 4));
        assertThat(received("ticker")).as("too old to recover: only the live event").containsExactly("event 11");
        assertThat(received("news")).as("no history: only the live event").containsExactly("event 3");
    }

    @Test
    void aSubscribeAskingForTheLatestEventReceivesItAtOnceAndAPlainOneDoesNot() {
        this.hub.dispatchEvent(Event.of("prices.ACME", new Quote("ACME", 12.5)));
        this.hub.dispatchEvent(Event.of("prices.ACME", new Quote("ACME", 12.75)));
        WebSocketClientEventTarget board = client("prices.ACME");
        WebSocketClientEventTarget plain = this.clients.create(this.port, (options) -> options);
        List<Event> plainReceived = new CopyOnWriteArrayList<>();
        plain.addEventListener("prices.ACME", plainReceived::add);
        plain.start();

        board.subscribe("prices.ACME", SubscribeOptions.latestEvent()).join();
        plain.subscribe("prices.ACME").join();

        await().atMost(WAIT).until(() -> received("prices.ACME").size() == 1);
        assertThat(received("prices.ACME")).containsExactly("ACME 12.75");
        this.hub.dispatchEvent(Event.of("prices.ACME", new Quote("ACME", 13.0)));
        await().atMost(WAIT).until(() -> received("prices.ACME").size() == 2 && plainReceived.size() == 1);
        assertThat(received("prices.ACME")).containsExactly("ACME 12.75", "ACME 13.0");
        assertThat(plainReceived).extracting((event) -> event.payloadAs(Quote.class))
            .containsExactly(new Quote("ACME", 13.0));
    }

    @Test
    void aSnapshotTopicThatCannotBeRecoveredAfterAReconnectSendsItsLatestEventAgain() {
        WebSocketClientEventTarget board = client("prices.BOLT");
        board.subscribe("prices.BOLT", SubscribeOptions.latestEvent()).join();
        this.hub.dispatchEvent(Event.of("prices.BOLT", new Quote("BOLT", 1.0)));
        await().atMost(WAIT).until(() -> received("prices.BOLT").size() == 1);

        keepAwayWhile(board, () -> {
            this.hub.dispatchEvent(Event.of("prices.BOLT", new Quote("BOLT", 2.0)));
            this.hub.dispatchEvent(Event.of("prices.BOLT", new Quote("BOLT", 3.0)));
        });

        await().atMost(WAIT).until(() -> this.restored.size() == 1);
        assertThat(this.restored.get(0).recovery()).as("one kept event cannot cover two missed ones")
            .isEqualTo(Recovery.NOT_RECOVERED);
        await().atMost(WAIT).until(() -> received("prices.BOLT").size() == 2);
        assertThat(received("prices.BOLT")).containsExactly("BOLT 1.0", "BOLT 3.0");
    }

    /**
     * Shuts the gate, closes every connection as a hub node going away would, runs {@code whileAway} once the client
     * knows it is disconnected, then opens the gate for its reconnect.
     */
    private void keepAwayWhile(WebSocketClientEventTarget client, Runnable whileAway) {
        this.gate.shut();
        this.hub.connections().forEach((spoke) -> spoke.socket().close(1001, "going away"));
        await().atMost(WAIT).until(() -> client.state() != ConnectionState.OPEN && this.hub.connectionCount() == 0);
        whileAway.run();
        this.gate.open();
    }

    private WebSocketClientEventTarget client(String... topics) {
        WebSocketClientEventTarget client = this.clients.create(this.port, (options) -> options);
        for (String topic : topics) {
            List<String> payloads = received(topic);
            client.addEventListener(topic, (event) -> payloads.add(text(event)));
        }
        this.restored = Resubscriptions.of(client).restored;
        client.start();
        return client;
    }

    private List<String> received(String topic) {
        return this.received.computeIfAbsent(topic, (key) -> new CopyOnWriteArrayList<>());
    }

    private void dispatch(String topic, int from, int to) {
        numbered(from, to).forEach((text) -> this.hub.dispatchEvent(Event.of(topic, text)));
    }

    private static List<String> numbered(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj((n) -> "event " + n).toList();
    }

    private static String text(Event event) {
        if (event.type().startsWith("prices.")) {
            Quote quote = event.payloadAs(Quote.class);
            return quote.symbol() + " " + quote.price();
        }
        return event.payloadAs(String.class);
    }

    record Quote(String symbol, double price) {
    }
}
