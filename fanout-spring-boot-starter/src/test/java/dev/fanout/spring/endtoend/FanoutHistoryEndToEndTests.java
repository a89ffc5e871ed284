package dev.fanout.spring.endtoend;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import dev.fanout.Event;
import dev.fanout.Frames;
import dev.fanout.HistoryFrames;
import dev.fanout.WebSocketServerEventTarget;
import dev.fanout.testing.TestSpoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * History and recovery over real Tomcat with real JDK WebSocket clients, configured through {@code fanout.history.*}.
 */
@SpringBootTest(classes = FanoutTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "fanout.history.rules[0].pattern=chat", "fanout.history.rules[0].size=100000",
                "fanout.history.rules[1].pattern=prices.*", "fanout.history.rules[1].size=1",
                "fanout.history.max-recovered-events=100000", "fanout.backpressure.threshold=64KB" })
class FanoutHistoryEndToEndTests {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @LocalServerPort
    private int port;

    @Autowired
    private WebSocketServerEventTarget hub;

    private final List<TestSpoke> spokes = new ArrayList<>();

    @BeforeEach
    void hubStartsEmpty() {
        await().atMost(WAIT).until(() -> this.hub.connectionCount() == 0);
    }

    @AfterEach
    void closeSpokes() {
        this.spokes.forEach(TestSpoke::close);
    }

    @Test
    void aSpokeDisconnectedWhile500EventsAreDispatchedRecoversExactlyThose500InOrderThenLiveOnes() {
        TestSpoke first = connect();
        first.sendText(Frames.subscribe("chat", "s1"));
        JsonNode ack = first.awaitEvent("__ack").path("payload");
        String epoch = ack.path("epoch").asString();
        long before = ack.path("offset").asLong();
        first.abort();
        await().atMost(WAIT).until(() -> this.hub.connectionCount() == 0);

        dispatch("chat", 500);
        TestSpoke again = connect();
        again.sendText(HistoryFrames.subscribeSince("chat", "r1", epoch, before));
        JsonNode recovered = again.awaitEvent("__ack").path("payload");
        dispatch("chat", 3);

        assertThat(recovered.path("recovered").asBoolean()).isTrue();
        assertThat(recovered.path("offset").asLong()).isEqualTo(before + 500);
        await().atMost(WAIT).until(() -> again.received("chat").size() == 503);
        assertThat(again.received("chat")).extracting((event) -> event.path("offset").asLong())
            .containsExactlyElementsOf(range(before + 1, before + 503));
        assertThat(again.received("chat").get(0).path("payload").path("n").asInt()).isZero();
    }

    @Test
    void aSpokeEvictedAsASlowConsumerReconnectsAndRecoversEverythingItMissed() {
        TestSpoke slow = connect();
        slow.sendText(Frames.subscribe("chat", "s1"));
        String epoch = slow.awaitEvent("__ack").path("payload").path("epoch").asString();
        slow.stopReading();
        String filler = "z".repeat(4096);
        for (int i = 0; i < 50_000 && this.hub.connectionCount() > 0; i++) {
            this.hub.dispatchEvent(Event.of("chat", Map.of("text", filler)));
        }
        assertThat(this.hub.connectionCount()).as("the slow spoke was evicted").isZero();
        slow.resumeReading();
        assertThat(slow.closure()).succeedsWithin(WAIT).extracting(TestSpoke.Closure::code).isEqualTo(1013);
        long last = slow.received("chat").stream().mapToLong((event) -> event.path("offset").asLong()).max().orElse(0);
        long latest = positionOf("chat");

        TestSpoke again = connect();
        again.sendText(HistoryFrames.subscribeSince("chat", "r1", epoch, last));

        assertThat(again.awaitEvent("__ack").path("payload").path("recovered").asBoolean()).isTrue();
        await().atMost(WAIT).until(() -> again.received("chat").size() == latest - last);
        assertThat(again.received("chat")).extracting((event) -> event.path("offset").asLong())
            .containsExactlyElementsOf(range(last + 1, latest));
    }

    @Test
    void aNewPageAskingForTheLatestPriceReceivesItAtOnce() {
        this.hub.dispatchEvent(Event.of("prices.ACME", Map.of("price", 101)));
        this.hub.dispatchEvent(Event.of("prices.ACME", Map.of("price", 102)));

        TestSpoke board = connect();
        board.sendText(HistoryFrames.subscribeLatest("prices.ACME", "p1"));

        JsonNode price = board.awaitEvent("prices.ACME");
        assertThat(price.path("payload").path("price").asInt()).isEqualTo(102);
        assertThat(board.received().get(0).path("type").asString()).isEqualTo("__ack");
    }

    private long positionOf(String topic) {
        TestSpoke probe = connect();
        probe.sendText(Frames.subscribe(topic, "probe"));
        long offset = probe.awaitEvent("__ack").path("payload").path("offset").asLong();
        probe.close();
        return offset;
    }

    private void dispatch(String topic, int count) {
        for (int i = 0; i < count; i++) {
            this.hub.dispatchEvent(Event.of(topic, Map.of("n", i)));
        }
    }

    private TestSpoke connect() {
        TestSpoke spoke = TestSpoke.connect(this.port);
        this.spokes.add(spoke);
        return spoke;
    }

    private static List<Long> range(long first, long last) {
        return LongStream.rangeClosed(first, last).boxed().toList();
    }
}
