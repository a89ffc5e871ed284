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

import dev.fanout.CloseCodes;
import dev.fanout.Event;
import dev.fanout.Frames;
import dev.fanout.ListenerRegistration;
import dev.fanout.WebSocketServerEventTarget;
import dev.fanout.spring.endtoend.FanoutTestApplication.SpokeEventRecorder;
import dev.fanout.spring.event.SpokeBackpressureEvent;
import dev.fanout.spring.event.SpokeDisconnectedEvent;
import dev.fanout.testing.InMemoryRawSocket;
import dev.fanout.testing.TestSpoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Flow control over a real Tomcat and real WebSocket clients, with small test-only marks and threshold so that a
 * backlog appears after a few hundred events. Spokes publish events that an application listener relays to
 * {@code feed} with {@code dispatchEvent}. Jetty cannot pause reading, so the starter's pom leaves this class out of
 * the suite's Jetty run.
 */
@SpringBootTest(classes = FanoutTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "fanout.backpressure.threshold=256KB", "fanout.flow-control.high-water-mark=32KB",
            "fanout.flow-control.low-water-mark=8KB", "fanout.flow-control.drain-timeout=8s",
            "fanout.heartbeat.interval=1s", "fanout.heartbeat.timeout=3s", "fanout.inbound.rate-limit=0" })
class FanoutFlowControlTests {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static final int READERS = 20;

    private static final int EVENTS = 3_000;

    private static final String PAYLOAD = "p".repeat(1024);

    private static final long HIGH_WATER_MARK = 32 * 1024;

    private static final long THRESHOLD = 256 * 1024;

    /** Longer than the heartbeat timeout, and well within the drain timeout. */
    private static final Duration PAST_THE_HEARTBEAT_TIMEOUT = Duration.ofSeconds(4);

    @LocalServerPort
    private int port;

    @Autowired
    private WebSocketServerEventTarget hub;

    @Autowired
    private SpokeEventRecorder recorder;

    private TestSpokes spokes;

    private ListenerRegistration relay;

    @BeforeEach
    void relayToFeed() {
        this.spokes = new TestSpokes(this.hub, this.port, WAIT);
        await().atMost(WAIT).until(() -> this.hub.connectionCount() == 0);
        this.relay = this.hub.addSpokeEventListener("publish",
                (event, from) -> this.hub.dispatchEvent(Event.of("feed", event.id(), event.payload())));
    }

    @AfterEach
    void closeSpokes() {
        if (this.relay != null) {
            this.relay.remove();
            this.spokes.closeAll();
        }
    }

    /**
     * The bug flow control fixes: the hub could read a flooding publisher faster than it writes to many readers, and
     * closed readers that read as fast as they could with 1013; now it stops reading the publisher instead, so TCP
     * pushes back on it.
     */
    @Test
    void aFloodingPublisherIsPausedInsteadOfAnyReaderBeingClosedAndEveryReaderGetsEveryEventInOrder() {
        List<TestSpoke> readers = IntStream.range(0, READERS)
            .mapToObj((i) -> this.spokes.connect("reader-" + i))
            .toList();
        readers.forEach((reader) -> reader.subscribe("feed"));
        this.spokes.awaitSubscribers("feed", READERS);
        TestSpoke publisher = this.spokes.connect("publisher");

        for (int seq = 0; seq < EVENTS; seq++) {
            publisher.sendJson(Frames.event("publish", String.valueOf(seq), PAYLOAD));
        }

        await().atMost(WAIT)
            .failFast("a reader was closed", () -> readers.stream().anyMatch(TestSpoke::isClosed))
            .until(() -> readers.stream().allMatch((reader) -> reader.messages().size() >= EVENTS));
        List<String> expected = IntStream.range(0, EVENTS).mapToObj(String::valueOf).toList();
        for (TestSpoke reader : readers) {
            assertThat(reader.messages().stream().map(TestSpokes::idOf).toList()).containsExactlyElementsOf(expected);
            assertThat(reader.isOpen()).isTrue();
        }
        assertThat(this.recorder.events).noneMatch(SpokeBackpressureEvent.class::isInstance);
        assertThat(this.hub.statistics().publisherPauses()).as("the publisher was paused").isPositive();
        await().atMost(WAIT).until(() -> this.hub.statistics().pausedPublishers() == 0);
        assertThat(publisher.isOpen()).isTrue();
        assertThat(this.hub.connectionCount()).isEqualTo(READERS + 1);
    }

    /**
     * A paused publisher is throttled, not gone: while the hub does not read it, not even its pongs, the heartbeat
     * must not close it. The subscriber that keeps it paused is a socket the application added to the hub itself (so
     * no heartbeat of the starter's judges it), backed up for longer than the heartbeat timeout; after the drain
     * timeout the publisher resumes, and the subscriber is left to the slow-consumer rule.
     */
    @Test
    void aPublisherPausedPastTheHeartbeatTimeoutStaysOpenAndResumesAfterTheDrainTimeout() {
        InMemoryRawSocket backedUp = new InMemoryRawSocket("backed-up subscriber");
        this.hub.addConnection(backedUp);
        backedUp.receiveText(Frames.subscribe("feed"));
        backedUp.setBufferedAmount(HIGH_WATER_MARK + 1);
        TestSpoke publisher = this.spokes.connect("paused-publisher");

        publisher.sendJson(Frames.event("publish", "1", "first"));
        await().atMost(WAIT).until(() -> this.hub.statistics().pausedPublishers() == 1);

        await().during(PAST_THE_HEARTBEAT_TIMEOUT)
            .atMost(PAST_THE_HEARTBEAT_TIMEOUT.multipliedBy(2))
            .until(() -> this.hub.statistics().pausedPublishers() == 1 && publisher.isOpen());
        assertThat(publisher.pingsReceived()).as("pinged while paused").isPositive();
        await().atMost(WAIT).until(() -> this.hub.statistics().pausedPublishers() == 0);

        backedUp.setBufferedAmount(THRESHOLD + 1);
        publisher.sendJson(Frames.event("publish", "2", "second"));
        await().atMost(WAIT).until(() -> backedUp.closeCode() == CloseCodes.SLOW_CONSUMER);
        assertThat(publisher.isOpen()).isTrue();
        assertThat(this.recorder.of(SpokeDisconnectedEvent.class, "paused-publisher")).isEmpty();
        assertThat(backedUp.sentMessages()).hasSize(1);
    }
}
