package dev.fanout.spring.endtoend;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.fanout.CloseCodes;
import dev.fanout.Event;
import dev.fanout.SpokeEventTarget;
import dev.fanout.WebSocketServerEventTarget;
import dev.fanout.testing.TestSpoke;
import dev.fanout.spring.websocket.SessionSupervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 8, item 2: the hub closes many sockets whose peers have just dropped, so that Tomcat closes most sessions
 * before the starter's I/O threads get to them. No thread may die of it, and nothing may reach stderr: every
 * uncaught exception on any thread is recorded, and so is every WARN of the starter's WebSocket package.
 */
@SpringBootTest(classes = FanoutTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "fanout.backpressure.threshold=64MB", "fanout.send-stall-timeout=20s" })
class FanoutClosedSessionTests {

    private static final Duration WAIT = Duration.ofSeconds(20);

    /**
     * How long the closes may take: a close waits behind a stalled write until the stall watchdog aborts it, so up to
     * the send-stall timeout (20 s here) plus the container's own close.
     */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(60);

    private static final int SPOKES = 60;

    private static final int STALLED = 8;

    private static final String FILLER = "x".repeat(64 * 1024);

    @LocalServerPort
    private int port;

    @Autowired
    private WebSocketServerEventTarget hub;

    @Autowired
    private SessionSupervisor supervisor;

    private final List<Throwable> uncaught = new CopyOnWriteArrayList<>();

    private final ListAppender<ILoggingEvent> starterLog = new ListAppender<>();

    private final Logger starterLogger = (Logger) LoggerFactory.getLogger("dev.fanout.spring.websocket");

    private Thread.@Nullable UncaughtExceptionHandler previousHandler;

    private TestSpokes spokes;

    @BeforeEach
    void recordUncaughtExceptionsAndWarnings() {
        this.previousHandler = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, ex) -> this.uncaught.add(ex));
        this.starterLog.start();
        this.starterLogger.addAppender(this.starterLog);
        await().atMost(WAIT).until(() -> this.hub.connectionCount() == 0);
        this.spokes = new TestSpokes(this.hub, this.port, WAIT);
    }

    @AfterEach
    void restore() {
        this.spokes.closeAll();
        this.starterLogger.detachAppender(this.starterLog);
        Thread.setDefaultUncaughtExceptionHandler(this.previousHandler);
    }

    @Test
    void closingSessionsThatTheContainerClosedMeanwhileKillsNoThreadAndLogsNoUncaughtException() {
        List<TestSpoke> stalled = IntStream.range(0, STALLED).mapToObj((i) -> this.spokes.connect("stalled-" + i))
            .toList();
        stalled.forEach((spoke) -> spoke.subscribe("fill"));
        this.spokes.awaitSubscribers("fill", STALLED);
        stalled.forEach(TestSpoke::stopReading);
        List<SpokeEventTarget> stalledConnections = this.hub.connections();
        IntStream.range(0, 160).forEach((i) -> this.hub.dispatchEvent(Event.of("fill", FILLER)));
        List<TestSpoke> dropped = IntStream.range(0, SPOKES).mapToObj((i) -> this.spokes.connect("dropped-" + i))
            .toList();
        await().atMost(WAIT).until(() -> this.hub.connectionCount() == SPOKES + STALLED);
        List<SpokeEventTarget> droppedConnections = this.hub.connections().stream()
            .filter((spoke) -> !stalledConnections.contains(spoke)).toList();

        stalledConnections.forEach((spoke) -> spoke.socket().close(CloseCodes.GOING_AWAY, "heartbeat timeout"));
        droppedConnections.forEach((spoke) -> spoke.socket().close(CloseCodes.GOING_AWAY, "heartbeat timeout"));
        dropped.forEach(TestSpoke::abort);

        await().atMost(CLOSE_WAIT).until(() -> this.supervisor.socketCount() == 0 && this.hub.connectionCount() == 0);
        await().atMost(WAIT).until(() -> ioThreadsIdle());
        assertThat(this.uncaught).isEmpty();
        assertThat(this.starterLog.list).filteredOn((line) -> line.getLevel().isGreaterOrEqual(Level.WARN))
            .isEmpty();
    }

    private static boolean ioThreadsIdle() {
        return Thread.getAllStackTraces().entrySet().stream()
            .filter((thread) -> thread.getKey().getName().startsWith("fanout-io-"))
            .allMatch((thread) -> thread.getKey().getState() == Thread.State.WAITING
                    || thread.getKey().getState() == Thread.State.TIMED_WAITING);
    }
}
