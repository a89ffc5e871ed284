package dev.fanout.client.endtoend;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.fanout.Event;
import dev.fanout.ListenerRegistration;
import dev.fanout.WebSocketServerEventTarget;
import dev.fanout.client.ConnectionState;
import dev.fanout.client.ConnectionStateChange;
import dev.fanout.client.WebSocketClientEventTarget;
import dev.fanout.client.endtoend.HubApplication.Disconnections;
import dev.fanout.client.endtoend.HubApplication.Handshakes;

import static dev.fanout.client.endtoend.Clients.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest(classes = HubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "fanout.max-message-size=16KB", "fanout.inbound.rate-limit=0" })
class ClientEndToEndTests {

    @LocalServerPort
    private int port;

    @Autowired
    private WebSocketServerEventTarget hub;

    @Autowired
    private Disconnections disconnections;

    @Autowired
    private Handshakes handshakes;

    private final Clients clients = new Clients();

    private final List<Event> receivedByHub = new CopyOnWriteArrayList<>();

    private final List<ListenerRegistration> hubListeners = new ArrayList<>();

    @BeforeEach
    void hubStartsEmpty() {
        await().atMost(WAIT).until(() -> this.hub.connectionCount() == 0);
        this.handshakes.authorizations.clear();
        this.hubListeners.add(this.hub.addEventListener("chat", this.receivedByHub::add));
        this.hubListeners.add(this.hub.addEventListener("upload", this.receivedByHub::add));
    }

    @AfterEach
    void closeClients() {
        this.clients.close();
        this.hubListeners.forEach(ListenerRegistration::remove);
    }

    @Test
    void eventsTheHubDispatchesFanOutToEverySubscribedClientInOrder() {
        List<WebSocketClientEventTarget> subscribers = List.of(this.clients.connect(this.port),
                this.clients.connect(this.port), this.clients.connect(this.port));
        List<List<String>> received = new ArrayList<>();
        for (WebSocketClientEventTarget client : subscribers) {
            List<String> payloads = new CopyOnWriteArrayList<>();
            received.add(payloads);
            client.addEventListener("news", (event) -> payloads.add(event.payloadAs(String.class)));
            client.subscribe("news");
        }
        WebSocketClientEventTarget other = this.clients.connect(this.port);
        List<Event> otherReceived = new CopyOnWriteArrayList<>();
        other.addEventListener("news", otherReceived::add);
        other.subscribe("weather");
        awaitSubscribers("news", 3);
        awaitSubscribers("weather", 1);
        List<String> sent = IntStream.range(0, 50).mapToObj((i) -> "item " + i).toList();
        sent.forEach((item) -> this.hub.dispatchEvent(Event.of("news", item)));
        for (List<String> payloads : received) {
            await().atMost(WAIT).until(() -> payloads.size() == sent.size());
            assertThat(payloads).containsExactlyElementsOf(sent);
        }
        assertThat(otherReceived).isEmpty();
    }

    @Test
    void eventsTheClientDispatchesReachTheHubsListenersWithTheirIdAndPayload() {
        WebSocketClientEventTarget client = this.clients.connect(this.port);
        assertThat(client.dispatchEvent(Event.of("chat", "m-1", new Chat("ada", "hello")))).isTrue();
        await().atMost(WAIT).until(() -> this.receivedByHub.size() == 1);
        assertThat(this.receivedByHub.get(0).id()).isEqualTo("m-1");
        assertThat(this.receivedByHub.get(0).payloadAs(Chat.class)).isEqualTo(new Chat("ada", "hello"));
    }

    @Test
    void concurrentDispatchFromManyThreadsKeepsTheOrderOfEachThread() throws InterruptedException {
        int threads = 8;
        int perThread = 250;
        WebSocketClientEventTarget client = this.clients.create(this.port,
                (options) -> options.maxQueuedEvents(threads * perThread));
        client.start();
        Clients.awaitOpen(client);
        List<Thread> publishers = IntStream.range(0, threads)
            .mapToObj((t) -> new Thread(() -> IntStream.range(0, perThread)
                .forEach((seq) -> assertThat(client.dispatchEvent(Event.of("chat", t + ":" + seq, null))).isTrue())))
            .toList();
        publishers.forEach(Thread::start);
        for (Thread publisher : publishers) {
            publisher.join();
        }
        await().atMost(WAIT).until(() -> this.receivedByHub.size() == threads * perThread);
        for (int t = 0; t < threads; t++) {
            String prefix = t + ":";
            assertThat(this.receivedByHub.stream().map(Event::id).filter((id) -> id.startsWith(prefix)).toList())
                .containsExactlyElementsOf(IntStream.range(0, perThread).mapToObj((seq) -> prefix + seq).toList());
        }
        assertThat(client.rejectedEventCount()).isZero();
    }

    @Test
    void afterTheHubClosesEveryConnectionTheClientReconnectsAndResubscribes() {
        WebSocketClientEventTarget client = this.clients.connect(this.port);
        List<ConnectionStateChange> changes = new CopyOnWriteArrayList<>();
        client.addStateListener(changes::add);
        List<String> received = new CopyOnWriteArrayList<>();
        client.addEventListener("news", (event) -> received.add(event.payloadAs(String.class)));
        client.subscribe("news");
        client.subscribe("sports");
        awaitSubscribers("news", 1);
        awaitSubscribers("sports", 1);

        this.hub.connections().forEach((spoke) -> spoke.socket().close(1001, "going away"));

        await().atMost(WAIT).until(() -> changes.stream().anyMatch((change) -> change.closeCode() == 1001));
        Clients.awaitOpen(client);
        awaitSubscribers("news", 1);
        awaitSubscribers("sports", 1);
        this.hub.dispatchEvent(Event.of("news", "after the reconnect"));
        await().atMost(WAIT).until(() -> received.contains("after the reconnect"));
        assertThat(changes).extracting(ConnectionStateChange::current)
            .containsSubsequence(ConnectionState.RECONNECTING, ConnectionState.CONNECTING, ConnectionState.OPEN);
    }

    @Test
    void aMessageTheHubRefusedAsTooBigWith1009IsNotResent() {
        WebSocketClientEventTarget client = this.clients.connect(this.port);
        List<ConnectionStateChange> changes = new CopyOnWriteArrayList<>();
        client.addStateListener(changes::add);

        client.dispatchEvent(Event.of("upload", "too-big", "x".repeat(20 * 1024)));

        await().atMost(WAIT).until(() -> changes.stream().anyMatch((change) -> change.closeCode() == 1009));
        await().atMost(WAIT).until(() -> this.disconnections.codes.contains(1009));
        Clients.awaitOpen(client);
        client.dispatchEvent(Event.of("chat", "marker", "after the reconnect"));
        await().atMost(WAIT).until(() -> this.receivedByHub.stream().anyMatch((event) -> "marker".equals(event.id())));
        assertThat(this.receivedByHub).extracting(Event::id).doesNotContain("too-big");
    }

    @Test
    void eventsDispatchedBeforeTheFirstConnectionAreQueuedUpToTheLimitAndTheRestRejected() {
        WebSocketClientEventTarget client = this.clients.create(this.port, (options) -> options.maxQueuedEvents(5));
        List<Boolean> accepted = IntStream.range(0, 8)
            .mapToObj((seq) -> client.dispatchEvent(Event.of("chat", String.valueOf(seq), null)))
            .toList();
        assertThat(accepted).containsExactly(true, true, true, true, true, false, false, false);
        assertThat(client.rejectedEventCount()).isEqualTo(3);
        assertThat(client.queuedEventCount()).isEqualTo(5);

        client.start();

        await().atMost(WAIT).until(() -> this.receivedByHub.size() == 5);
        assertThat(this.receivedByHub).extracting(Event::id).containsExactly("0", "1", "2", "3", "4");
        assertThat(client.queuedEventCount()).isZero();
    }

    @Test
    void closeEndsTheConnectionForGood() {
        WebSocketClientEventTarget client = this.clients.connect(this.port);
        await().atMost(WAIT).until(() -> this.hub.connectionCount() == 1);
        client.close();
        await().atMost(WAIT).until(() -> this.hub.connectionCount() == 0);
        assertThat(client.state()).isEqualTo(ConnectionState.CLOSED);
        assertThat(this.disconnections.codes).last().isEqualTo(1000);
        assertThat(client.dispatchEvent(Event.of("chat", "too late"))).isFalse();
    }

    @Test
    void theConfiguredHeadersAreSentWithEveryHandshake() {
        WebSocketClientEventTarget client = this.clients.create(this.port,
                (options) -> options.header("Authorization", "Bearer token-1"));
        client.start();
        Clients.awaitOpen(client);
        this.hub.connections().forEach((spoke) -> spoke.socket().close(1001, "going away"));
        await().atMost(WAIT).until(() -> this.handshakes.authorizations.size() == 2);
        assertThat(this.handshakes.authorizations).containsExactly("Bearer token-1", "Bearer token-1");
    }

    @Test
    void aMessageFromTheHubOverTheInboundLimitClosesWith1009AndTheClientReconnects() {
        WebSocketClientEventTarget client = this.clients.create(this.port,
                (options) -> options.maxInboundMessageSize(1000));
        List<ConnectionStateChange> changes = new CopyOnWriteArrayList<>();
        client.addStateListener(changes::add);
        List<String> received = new CopyOnWriteArrayList<>();
        client.addEventListener("news", (event) -> received.add(event.id()));
        client.start();
        client.subscribe("news").join();

        this.hub.dispatchEvent(Event.of("news", "huge", "x".repeat(5000)));

        await().atMost(WAIT).until(() -> changes.stream().anyMatch((change) -> change.closeCode() == 1009));
        Clients.awaitOpen(client);
        awaitSubscribers("news", 1);
        this.hub.dispatchEvent(Event.of("news", "small", "fits"));
        await().atMost(WAIT).until(() -> received.contains("small"));
        assertThat(received).containsExactly("small");
    }

    private void awaitSubscribers(String topic, int count) {
        await().atMost(WAIT).until(() -> this.hub.topicSubscriberCounts().getOrDefault(topic, 0) == count);
    }

    record Chat(String user, String text) {
    }
}
