package dev.fanout.spring.endtoend;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.fanout.Event;
import dev.fanout.WebSocketServerEventTarget;
import dev.fanout.spring.endtoend.FanoutTestApplication.SpokeEventRecorder;
import dev.fanout.spring.event.SpokeBackpressureEvent;
import dev.fanout.spring.event.SpokeDisconnectedEvent;
import dev.fanout.testing.TestSpoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Bursts of small events, which the starter batches into the container's output buffer while a spoke has a backlog,
 * over a real Tomcat whose socket send buffer is shrunk to 16 KiB (see {@link FanoutBackpressureTests}) so that a
 * spoke that stops reading pushes back after a few hundred KiB. Pings run every 200 ms, so they meet open batches.
 */
@SpringBootTest(classes = { FanoutTestApplication.class, FanoutBackpressureTests.SmallSendBuffer.class },
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "fanout.backpressure.threshold=1MB", "fanout.send-stall-timeout=1s",
                "fanout.heartbeat.interval=200ms", "fanout.heartbeat.timeout=5s" })
class FanoutBatchingTests {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static final int HEALTHY_SPOKES = 20;

    private static final String SMALL = "s".repeat(150);

    private static final String MEDIUM = "m".repeat(600);

    @LocalServerPort
    private int port;

    @Autowired
    private WebSocketServerEventTarget hub;

    @Autowired
    private SpokeEventRecorder recorder;

    private TestSpokes spokes;

    @BeforeEach
    void hubStartsEmpty() {
        this.spokes = new TestSpokes(this.hub, this.port, WAIT);
        await().atMost(WAIT).until(() -> this.hub.connectionCount() == 0);
    }

    @AfterEach
    void closeSpokes() {
        this.spokes.closeAll();
    }

    @Test
    void burstOfSmallEventsFromConcurrentPublishersArrivesCompleteAndInOrderWhileBatched() throws InterruptedException {
        List<TestSpoke> subscribers = IntStream.range(0, 5).mapToObj((i) -> this.spokes.connect("burst-" + i)).toList();
        subscribers.forEach((spoke) -> spoke.subscribe("burst"));
        this.spokes.awaitSubscribers("burst", subscribers.size());
        int publishers = 2;
        int perPublisher = 2000;
        List<Thread> threads = IntStream.range(0, publishers)
            .mapToObj((p) -> new Thread(() -> IntStream.range(0, perPublisher)
                .forEach((seq) -> this.hub.dispatchEvent(Event.of("burst", p + ":" + seq, SMALL)))))
            .toList();
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
        for (TestSpoke spoke : subscribers) {
            await().atMost(WAIT).until(() -> spoke.messages().size() == publishers * perPublisher);
            for (int p = 0; p < publishers; p++) {
                String prefix = p + ":";
                List<String> ids = spoke.messages().stream().map(TestSpokes::idOf)
                    .filter((id) -> id.startsWith(prefix)).toList();
                assertThat(ids).containsExactlyElementsOf(
                        IntStream.range(0, perPublisher).mapToObj((seq) -> prefix + seq).toList());
            }
            assertThat(spoke.isClosed()).isFalse();
        }
        assertThat(this.hub.connectionCount()).isEqualTo(subscribers.size());
    }

    @Test
    void stalledSpokeWithABatchedBacklogIsClosedWith1013WhileHealthySpokesGetEveryEventInOrder() {
        TestSpoke stalled = this.spokes.connect("stalled-batch");
        stalled.subscribe("stream");
        this.spokes.awaitSubscribers("stream", 1);
        stalled.stopReading();
        List<TestSpoke> healthy = IntStream.range(0, HEALTHY_SPOKES)
            .mapToObj((i) -> this.spokes.connect("healthy-batch-" + i)).toList();
        healthy.forEach((spoke) -> spoke.subscribe("stream"));
        this.spokes.awaitSubscribers("stream", HEALTHY_SPOKES + 1);

        int events = 6000;
        int burst = 300;
        for (int first = 0; first < events; first += burst) {
            for (int seq = first; seq < first + burst; seq++) {
                this.hub.dispatchEvent(Event.of("stream", String.valueOf(seq), MEDIUM));
            }
            int received = first + burst;
            await().atMost(WAIT).until(() -> healthy.stream().allMatch((spoke) -> spoke.messages().size() == received));
        }

        List<String> expected = IntStream.range(0, events).mapToObj(String::valueOf).toList();
        for (TestSpoke spoke : healthy) {
            assertThat(spoke.messages().stream().map(TestSpokes::idOf).toList())
                .containsExactlyElementsOf(expected);
            assertThat(spoke.isClosed()).isFalse();
        }
        await().atMost(WAIT).until(() -> this.hub.connectionCount() == HEALTHY_SPOKES);
        assertThat(this.recorder.of(SpokeBackpressureEvent.class, "stalled-batch")).singleElement()
            .satisfies((event) -> assertThat(event.getBufferedAmount()).isPositive());
        await().atMost(WAIT).untilAsserted(() -> assertThat(this.recorder.of(SpokeDisconnectedEvent.class, "stalled-batch"))
            .singleElement()
            .satisfies((event) -> assertThat(event.getCloseStatus().getCode()).isEqualTo(1013)));
        stalled.resumeReading();
        assertThat(stalled.closure()).succeedsWithin(WAIT)
            .satisfies((closure) -> assertThat(closure.code()).isIn(1013, 1006));
        assertThat(stalled.messages().size()).isLessThan(events);
    }

    @Test
    void spokeWhoseBatchedBurstStallsIsClosedWith1013AndReportsTheUnwrittenBytesEvenWhenNothingElseIsSent() {
        TestSpoke stalled = this.spokes.connect("stalled-burst");
        stalled.subscribe("burst-then-quiet");
        this.spokes.awaitSubscribers("burst-then-quiet", 1);
        stalled.stopReading();
        int events = 1200;
        for (int seq = 0; seq < events; seq++) {
            this.hub.dispatchEvent(Event.of("burst-then-quiet", String.valueOf(seq), MEDIUM));
        }
        assertThat(this.hub.connectionCount()).isEqualTo(1);
        await().atMost(WAIT).until(() -> this.hub.connectionCount() == 0);
        assertThat(this.recorder.of(SpokeBackpressureEvent.class, "stalled-burst")).singleElement()
            .satisfies((event) -> assertThat(event.getBufferedAmount()).isPositive()
                .isLessThan(events * (long) (MEDIUM.length() + 64)));
        await().atMost(WAIT).untilAsserted(() -> assertThat(this.recorder.of(SpokeDisconnectedEvent.class, "stalled-burst"))
            .singleElement()
            .satisfies((event) -> assertThat(event.getCloseStatus().getCode()).isEqualTo(1013)));
        stalled.resumeReading();
        assertThat(stalled.closure()).succeedsWithin(WAIT)
            .satisfies((closure) -> assertThat(closure.code()).isIn(1013, 1006));
        assertThat(stalled.messages().size()).isLessThan(events);
    }

    @Test
    void spokeThatStopsReadingBetweenSmallBurstsIsClosedWith1013EvenWhenItsBatchFlushIsWhatStalls()
            throws InterruptedException {
        TestSpoke stalled = this.spokes.connect("stalled-between-bursts");
        stalled.subscribe("bursts");
        this.spokes.awaitSubscribers("bursts", 1);
        stalled.stopReading();
        int seq = 0;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (this.hub.connectionCount() == 1 && System.nanoTime() < deadline) {
            for (int i = 0; i < 10; i++) {
                this.hub.dispatchEvent(Event.of("bursts", String.valueOf(seq++), MEDIUM));
            }
            Thread.sleep(20);
        }
        await().atMost(WAIT).until(() -> this.hub.connectionCount() == 0);
        assertThat(this.recorder.of(SpokeBackpressureEvent.class, "stalled-between-bursts")).singleElement()
            .satisfies((event) -> assertThat(event.getBufferedAmount()).isPositive());
        await().atMost(WAIT).untilAsserted(() -> assertThat(this.recorder.of(SpokeDisconnectedEvent.class, "stalled-between-bursts"))
            .singleElement()
            .satisfies((event) -> assertThat(event.getCloseStatus().getCode()).isEqualTo(1013)));
        stalled.resumeReading();
        assertThat(stalled.closure()).succeedsWithin(WAIT)
            .satisfies((closure) -> assertThat(closure.code()).isIn(1013, 1006));
    }
}
