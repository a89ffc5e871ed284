package dev.fanout.spring.endtoend;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.fanout.Event;
import dev.fanout.ListenerRegistration;
import dev.fanout.WebSocketServerEventTarget;
import dev.fanout.spring.endtoend.FanoutTestApplication.ChatListener;
import dev.fanout.spring.endtoend.FanoutTestApplication.ChatMessage;
import dev.fanout.spring.endtoend.FanoutTestApplication.SpokeEventRecorder;
import dev.fanout.spring.endtoend.FanoutTestApplication.ThrowingListener;
import dev.fanout.spring.event.SpokeConnectedEvent;
import dev.fanout.spring.event.SpokeDisconnectedEvent;
import dev.fanout.testing.TestSpoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

@SpringBootTest(classes = FanoutTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "fanout.allowed-origins=https://allowed.example", "fanout.max-message-size=16KB",
                "fanout.heartbeat.interval=200ms", "fanout.heartbeat.timeout=1500ms" })
@ExtendWith(OutputCaptureExtension.class)
class FanoutEndToEndTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @LocalServerPort
    private int port;

    @Autowired
    private WebSocketServerEventTarget hub;

    @Autowired
    private ChatListener chatListener;

    @Autowired
    private SpokeEventRecorder recorder;

    @Autowired
    private ThrowingListener throwingListener;

    private final List<TestSpoke> spokes = new ArrayList<>();

    private int users;

    @BeforeEach
    void hubStartsEmpty() {
        await().atMost(WAIT).until(() -> this.hub.connectionCount() == 0);
    }

    @AfterEach
    void closeSpokes() {
        this.spokes.forEach(TestSpoke::close);
    }

    @Test
    void eventsFanOutToEverySubscribedSpokeInOrder() {
        List<TestSpoke> subscribers = List.of(connect(), connect(), connect());
        subscribers.forEach((spoke) -> spoke.subscribe("news"));
        awaitSubscribers("news", 3);
        List<String> sent = IntStream.range(0, 20).mapToObj((i) -> "item " + i).toList();
        sent.forEach((item) -> this.hub.dispatchEvent(Event.of("news", item)));
        for (TestSpoke spoke : subscribers) {
            await().atMost(WAIT).until(() -> spoke.messages().size() == 20);
            assertThat(spoke.messages()).containsExactlyElementsOf(
                    sent.stream().map((item) -> "{\"type\":\"news\",\"payload\":\"" + item + "\"}").toList());
        }
    }

    @Test
    void concurrentPublishersNeitherLoseNorReorderTheEventsOfEachPublisher() throws InterruptedException {
        TestSpoke spoke = connect();
        spoke.subscribe("busy");
        awaitSubscribers("busy", 1);
        int publishers = 4;
        int perPublisher = 250;
        List<Thread> threads = IntStream.range(0, publishers)
            .mapToObj((p) -> new Thread(() -> IntStream.range(0, perPublisher)
                .forEach((seq) -> this.hub.dispatchEvent(Event.of("busy", p + ":" + seq, null)))))
            .toList();
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
        await().atMost(WAIT).until(() -> spoke.messages().size() == publishers * perPublisher);
        for (int p = 0; p < publishers; p++) {
            String prefix = "{\"type\":\"busy\",\"id\":\"" + p + ":";
            List<String> fromPublisher = spoke.messages().stream().filter((m) -> m.startsWith(prefix)).toList();
            assertThat(fromPublisher).containsExactlyElementsOf(
                    IntStream.range(0, perPublisher).mapToObj((seq) -> prefix + seq + "\"}").toList());
        }
    }

    @Test
    void spokesReceiveOnlyTheTopicsTheySubscribedTo() {
        TestSpoke sports = connect();
        TestSpoke weather = connect();
        sports.subscribe("sports");
        weather.subscribe("weather");
        awaitSubscribers("sports", 1);
        awaitSubscribers("weather", 1);
        this.hub.dispatchEvent(Event.of("sports", "goal"));
        this.hub.dispatchEvent(Event.of("weather", "rain"));
        this.hub.dispatchEvent(Event.of("unrelated", "nobody"));
        await().atMost(WAIT).until(() -> sports.messages().size() == 1 && weather.messages().size() == 1);
        assertThat(sports.messages()).containsExactly("{\"type\":\"sports\",\"payload\":\"goal\"}");
        assertThat(weather.messages()).containsExactly("{\"type\":\"weather\",\"payload\":\"rain\"}");
    }

    @Test
    void unsubscribedSpokeReceivesNoFurtherEvents() {
        TestSpoke leaving = connect();
        TestSpoke staying = connect();
        leaving.subscribe("ticks");
        staying.subscribe("ticks");
        awaitSubscribers("ticks", 2);
        this.hub.dispatchEvent(Event.of("ticks", 1));
        leaving.unsubscribe("ticks");
        awaitSubscribers("ticks", 1);
        this.hub.dispatchEvent(Event.of("ticks", 2));
        await().atMost(WAIT).until(() -> staying.messages().size() == 2);
        assertThat(leaving.messages()).containsExactly("{\"type\":\"ticks\",\"payload\":1}");
    }

    @Test
    void spokeEventsReachFanoutListenerMethodsAndHubListeners() {
        List<Event> hubReceived = new CopyOnWriteArrayList<>();
        try (ListenerRegistration registration = this.hub.addEventListener("chat", hubReceived::add)) {
            TestSpoke spoke = connect();
            spoke.sendText("{\"type\":\"chat\",\"id\":\"c1\",\"payload\":{\"text\":\"hello\"}}");
            await().atMost(WAIT).until(() -> spoke.messages().size() == 1);
            assertThat(spoke.messages()).containsExactly("{\"type\":\"chat-ack\",\"id\":\"c1\",\"payload\":\"HELLO\"}");
            assertThat(hubReceived).singleElement().satisfies((event) -> assertThat(event.id()).isEqualTo("c1"));
            assertThat(this.chatListener.received).last().satisfies((chat) -> {
                assertThat(chat.message()).isEqualTo(new ChatMessage("hello"));
                assertThat(chat.event().type()).isEqualTo("chat");
                assertThat(this.hub.connections()).contains(chat.sender());
            });
        }
    }

    @Test
    void fanoutListenerThatThrowsIsLoggedAndLeavesTheConnectionOpen(CapturedOutput output) {
        int boomsBefore = this.chatListener.booms.get();
        TestSpoke spoke = connect();
        spoke.sendText("{\"type\":\"boom\"}");
        spoke.sendText("{\"type\":\"chat\",\"payload\":{\"text\":\"still here\"}}");
        await().atMost(WAIT).until(() -> spoke.messages().size() == 1);
        assertThat(this.chatListener.booms.get()).as("the throwing listener ran").isEqualTo(boomsBefore + 1);
        assertThat(output).contains("threw on a 'boom' event; the connection stays")
            .contains("listener failure on purpose");
        assertThat(spoke.messages()).containsExactly("{\"type\":\"chat-ack\",\"payload\":\"STILL HERE\"}");
        assertThat(spoke.isClosed()).isFalse();
    }

    @Test
    void connectAndDisconnectArePublishedAsApplicationEventsWithSessionPrincipalAndAddress() {
        String user = nextUser();
        TestSpoke spoke = TestSpoke.connect(endpoint(), Map.of("X-User", user));
        await().atMost(WAIT).until(() -> this.recorder.of(SpokeConnectedEvent.class, user).size() == 1);
        SpokeConnectedEvent connected = this.recorder.of(SpokeConnectedEvent.class, user).get(0);
        assertThat(connected.getSessionId()).isNotBlank();
        assertThat(connected.getRemoteAddress()).isNotNull();
        assertThat(connected.getRemoteAddress().getAddress().isLoopbackAddress()).isTrue();
        assertThat(this.hub.connections()).containsExactly(connected.getSpoke());
        spoke.close();
        await().atMost(WAIT).until(() -> this.recorder.of(SpokeDisconnectedEvent.class, user).size() == 1);
        SpokeDisconnectedEvent disconnected = this.recorder.of(SpokeDisconnectedEvent.class, user).get(0);
        assertThat(disconnected.getSessionId()).isEqualTo(connected.getSessionId());
        assertThat(disconnected.getSpoke()).isSameAs(connected.getSpoke());
        assertThat(disconnected.getCloseStatus().getCode()).isEqualTo(1000);
        assertThat(this.hub.connectionCount()).isZero();
    }

    @Test
    void applicationEventListenerThatThrowsDoesNotAffectTheConnection() {
        String user = "thrower-" + nextUser();
        TestSpoke spoke = track(TestSpoke.connect(endpoint(), Map.of("X-User", user)));
        await().atMost(WAIT).until(() -> this.recorder.of(SpokeConnectedEvent.class, user).size() == 1);
        assertThat(this.throwingListener.threwFor).as("the throwing listener ran").containsOnlyOnce(user);
        spoke.subscribe("after-throw");
        awaitSubscribers("after-throw", 1);
        this.hub.dispatchEvent(Event.of("after-throw", "ok"));
        await().atMost(WAIT).until(() -> spoke.messages().size() == 1);
        assertThat(spoke.isClosed()).isFalse();
    }

    @Test
    void foreignOriginIsRefusedWithHttp403() {
        assertThatExceptionOfType(TestSpoke.HandshakeRefusedException.class)
            .isThrownBy(() -> TestSpoke.connect(endpoint(), Map.of("Origin", "https://evil.example")))
            .satisfies((ex) -> assertThat(ex.statusCode()).isEqualTo(403));
    }

    @Test
    void allowedOriginIsAccepted() {
        TestSpoke spoke = track(TestSpoke.connect(endpoint(), Map.of("Origin", "https://allowed.example")));
        await().atMost(WAIT).until(() -> this.hub.connectionCount() == 1);
        assertThat(spoke.isClosed()).isFalse();
    }

    @Test
    void oversizedMessageClosesTheConnectionWith1009() {
        String user = nextUser();
        TestSpoke spoke = track(TestSpoke.connect(endpoint(), Map.of("X-User", user)));
        spoke.sendText("{\"type\":\"chat\",\"payload\":{\"text\":\"" + "x".repeat(17 * 1024) + "\"}}");
        assertThat(spoke.closure()).succeedsWithin(WAIT).extracting(TestSpoke.Closure::code).isEqualTo(1009);
        await().atMost(WAIT).until(() -> this.recorder.of(SpokeDisconnectedEvent.class, user).size() == 1);
        assertThat(this.recorder.of(SpokeDisconnectedEvent.class, user).get(0).getCloseStatus().getCode())
            .isEqualTo(1009);
        assertThat(this.hub.connectionCount()).isZero();
    }

    @Test
    void oversizedMessageSentInSmallFramesClosesTheConnectionWith1009() {
        String user = nextUser();
        TestSpoke spoke = track(TestSpoke.connect(endpoint(), Map.of("X-User", user)));
        String part = "x".repeat(4 * 1024);
        spoke.sendTextInPartsUntilRefused("{\"type\":\"chat\",\"payload\":{\"text\":\"", part, part, part, part,
                part + "\"}}");
        assertThat(spoke.closure()).succeedsWithin(WAIT).extracting(TestSpoke.Closure::code).isEqualTo(1009);
        await().atMost(WAIT).until(() -> this.recorder.of(SpokeDisconnectedEvent.class, user).size() == 1);
        assertThat(this.recorder.of(SpokeDisconnectedEvent.class, user).get(0).getCloseStatus().getCode())
            .isEqualTo(1009);
    }

    @Test
    void oversizedBinaryMessageClosesTheConnectionWith1009() {
        String user = nextUser();
        TestSpoke spoke = track(TestSpoke.connect(endpoint(), Map.of("X-User", user)));
        spoke.sendBinary(new byte[17 * 1024]);
        assertThat(spoke.closure()).succeedsWithin(WAIT).extracting(TestSpoke.Closure::code).isEqualTo(1009);
        await().atMost(WAIT).until(() -> this.recorder.of(SpokeDisconnectedEvent.class, user).size() == 1);
    }

    @Test
    void messageLargerThanTheContainerBufferButWithinTheLimitArrivesWhole() {
        TestSpoke spoke = connect();
        String text = "y".repeat(15 * 1024);
        spoke.sendText("{\"type\":\"chat\",\"payload\":{\"text\":\"" + text + "\"}}");
        await().atMost(WAIT).until(() -> this.chatListener.received.stream()
            .anyMatch((chat) -> chat.message().text().equals(text)));
        assertThat(spoke.isClosed()).isFalse();
    }

    @Test
    void messagesSentInSeveralFramesAreJoinedBeforeTheHubReadsThem() {
        TestSpoke spoke = connect();
        spoke.sendTextInParts("{\"type\":\"__subscribe\",", "\"payload\":{\"topic\":", "\"joined-text\"}}");
        byte[] binary = "{\"type\":\"__subscribe\",\"payload\":{\"topic\":\"joined-binary\"}}"
            .getBytes(StandardCharsets.UTF_8);
        spoke.sendBinaryInParts(Arrays.copyOfRange(binary, 0, 10), Arrays.copyOfRange(binary, 10, binary.length));
        awaitSubscribers("joined-text", 1);
        awaitSubscribers("joined-binary", 1);
        assertThat(spoke.isClosed()).isFalse();
    }

    @Test
    void malformedFramesAreIgnoredAndLeaveTheConnectionOpen() {
        TestSpoke spoke = connect();
        spoke.sendText("not json at all");
        spoke.sendText("[1,2,3]");
        spoke.sendText("{\"type\":42}");
        spoke.sendText("{\"payload\":\"no type\"}");
        spoke.sendText("{\"type\":\"__unknown\"}");
        spoke.sendText("{\"type\":\"__subscribe\",\"payload\":{\"topic\":\"has space\"}}");
        spoke.sendBinary(new byte[] { (byte) 0xff, 0, 1, 2 });
        spoke.sendBinary("{\"type\":\"__subscribe\",\"payload\":{\"topic\":\"binary\"}}"
            .getBytes(StandardCharsets.UTF_8));
        awaitSubscribers("binary", 1);
        assertThat(this.hub.topicSubscriberCounts()).containsOnlyKeys("binary");
        this.hub.dispatchEvent(Event.of("binary", "works"));
        await().atMost(WAIT).until(() -> spoke.messages().size() == 1);
        assertThat(spoke.isClosed()).isFalse();
    }

    @Test
    void abruptTcpDropIsNoticedAndTheConnectionRemoved() {
        String user = nextUser();
        TestSpoke spoke = TestSpoke.connect(endpoint(), Map.of("X-User", user));
        spoke.subscribe("drop");
        awaitSubscribers("drop", 1);
        spoke.abort();
        await().atMost(WAIT).until(() -> this.hub.connectionCount() == 0);
        assertThat(this.hub.topicSubscriberCounts()).doesNotContainKey("drop");
        assertThat(this.recorder.of(SpokeDisconnectedEvent.class, user)).hasSize(1);
    }

    @Test
    void spokeThatNeverAnswersPingsIsClosedAfterTheHeartbeatTimeout() throws IOException {
        try (Socket silent = rawWebSocketWithoutReading("silent")) {
            await().atMost(WAIT).until(() -> this.hub.connectionCount() == 1);
            await().atMost(WAIT).until(() -> this.hub.connectionCount() == 0);
            assertThat(this.recorder.of(SpokeDisconnectedEvent.class, "silent")).singleElement()
                .satisfies((event) -> assertThat(event.getCloseStatus().getCode()).isEqualTo(1001));
        }
    }

    @Test
    void spokeThatAnswersPingsStaysConnectedPastTheHeartbeatTimeout() {
        TestSpoke spoke = connect();
        // 10 pings 200 ms apart span more than the 1.5 s timeout, so only the pongs can have kept the spoke.
        await().atMost(WAIT).until(() -> spoke.pingsReceived() >= 10);
        assertThat(spoke.isClosed()).isFalse();
        assertThat(this.hub.connectionCount()).isEqualTo(1);
    }

    @Test
    void staticResourcesUnderTheEndpointPathAreStillServed() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/fanout/static-probe.txt"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("served next to the endpoint");
    }

    private Socket rawWebSocketWithoutReading(String user) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.port);
        OutputStream out = socket.getOutputStream();
        out.write(("GET /fanout HTTP/1.1\r\nHost: localhost:" + this.port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\nX-User: " + user + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        byte[] statusLine = new byte[12];
        int read = in.readNBytes(statusLine, 0, statusLine.length);
        assertThat(new String(statusLine, 0, read, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 101");
        return socket;
    }

    private void awaitSubscribers(String topic, int count) {
        await().atMost(WAIT).until(() -> this.hub.topicSubscriberCounts().getOrDefault(topic, 0) == count);
    }

    private TestSpoke connect() {
        return track(TestSpoke.connect(endpoint(), Map.of("X-User", nextUser())));
    }

    private TestSpoke track(TestSpoke spoke) {
        this.spokes.add(spoke);
        return spoke;
    }

    private String nextUser() {
        return "user-" + System.nanoTime() + "-" + (++this.users);
    }

    private URI endpoint() {
        return URI.create("ws://localhost:" + this.port + "/fanout");
    }
}
