package dev.fanout.spring.endtoend;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.fanout.Event;
import dev.fanout.WebSocketServerEventTarget;
import dev.fanout.testing.TestSpoke;
import dev.fanout.spring.websocket.SessionSupervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The hub closes slow spokes while events are still being written to them. With a 64 KiB threshold a spoke that
 * stops reading is closed for backpressure while the kernel still accepts its frames, so each close meets a 48 KiB
 * message that Tomcat is writing in 8 KiB fragments, completed one by one on its container threads. Every uncaught
 * exception on any thread is recorded (Awaitility's own catching is off, so that nothing is hidden between polls).
 * With small events instead, each close meets a batch the starter is still collecting or flushing.
 */
@SpringBootTest(classes = FanoutTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "fanout.backpressure.threshold=64KB", "fanout.send-stall-timeout=1s" })
class FanoutSlowSpokeCloseTests {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static final int ROUNDS = 80;

    private static final int SPOKES_PER_ROUND = 4;

    private static final String FILLER = "x".repeat(48 * 1024);

    private static final String SMALL_FILLER = "y".repeat(600);

    @LocalServerPort
    private int port;

    @Autowired
    private WebSocketServerEventTarget hub;

    @Autowired
    private SessionSupervisor supervisor;

    private final List<Throwable> uncaught = new CopyOnWriteArrayList<>();

    private final List<TestSpoke> spokes = new ArrayList<>();

    private Thread.@Nullable UncaughtExceptionHandler previousHandler;

    @BeforeEach
    void recordUncaughtExceptions() {
        this.previousHandler = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, ex) -> this.uncaught.add(ex));
        await().atMost(WAIT).until(() -> this.hub.connectionCount() == 0);
    }

    @AfterEach
    void restoreUncaughtExceptionHandler() {
        this.spokes.forEach(TestSpoke::abort);
        Thread.setDefaultUncaughtExceptionHandler(this.previousHandler);
    }

    @Test
    void closingASlowSpokeWhileEventsAreStillDispatchedLeaksNoExceptionOnContainerThreads() {
        closeSlowSpokesWhileDispatching("race-", ROUNDS, FILLER, 3);
    }

    @Test
    void closingASlowSpokeWhileSmallEventsAreBatchedLeaksNoExceptionOnContainerThreads() {
        closeSlowSpokesWhileDispatching("batch-race-", ROUNDS / 4, SMALL_FILLER, 40);
    }

    private void closeSlowSpokesWhileDispatching(String topicPrefix, int rounds, String filler, int eventsPerBurst) {
        for (int round = 0; round < rounds; round++) {
            String topic = topicPrefix + round;
            List<TestSpoke> stalled = IntStream.range(0, SPOKES_PER_ROUND).mapToObj((i) -> connect()).toList();
            stalled.forEach((spoke) -> spoke.subscribe(topic));
            await().atMost(WAIT).dontCatchUncaughtExceptions()
                .until(() -> this.hub.topicSubscriberCounts().getOrDefault(topic, 0) == SPOKES_PER_ROUND);
            stalled.forEach(TestSpoke::stopReading);
            await().atMost(WAIT).dontCatchUncaughtExceptions().pollInterval(Duration.ofMillis(1))
                .until(() -> dispatchBurst(topic, filler, eventsPerBurst) && this.hub.connectionCount() == 0);
            await().atMost(WAIT).dontCatchUncaughtExceptions().until(() -> this.supervisor.socketCount() == 0);
            stalled.forEach(TestSpoke::abort);
        }
        // Each round waited until the container had closed every session (socketCount 0): nothing is left to throw.
        assertThat(this.uncaught).isEmpty();
    }

    private boolean dispatchBurst(String topic, String filler, int events) {
        for (int i = 0; i < events; i++) {
            this.hub.dispatchEvent(Event.of(topic, filler));
        }
        return true;
    }

    private TestSpoke connect() {
        TestSpoke spoke = TestSpoke.connect(URI.create("ws://localhost:" + this.port + "/fanout"));
        this.spokes.add(spoke);
        return spoke;
    }
}
