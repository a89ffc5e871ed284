package dev.fanout.spring.websocket;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pausing and resuming the reading of a session's socket for the hub's flow control, with a fake endpoint and a
 * manual clock.
 */
class WebSocketSessionRawSocketFlowControlTests {

    private static final SocketSettings SETTINGS = new SocketSettings(Duration.ofSeconds(10), Duration.ofSeconds(25),
            Duration.ofSeconds(60), 1024);

    private final FakeEndpoint endpoint = new FakeEndpoint();

    private final ManualScheduler scheduler = new ManualScheduler();

    private final List<Runnable> ioTasks = new CopyOnWriteArrayList<>();

    private final ManualClock clock = new ManualClock();

    private final WebSocketSessionRawSocketTests.RecordingListener listener =
            new WebSocketSessionRawSocketTests.RecordingListener();

    private final WebSocketSessionRawSocket socket = new WebSocketSessionRawSocket(
            new SessionInfo("s1", null, null, Map.of()), this.endpoint,
            new SocketRuntime(SETTINGS, this.scheduler, this.ioTasks::add, this.clock), new FrameSizer(),
            (stalled, amount) -> {
            });

    WebSocketSessionRawSocketFlowControlTests() {
        this.socket.setListener(this.listener);
    }

    @Test
    void pauseSuspendsTheEndpointOnceAndResumeResumesItOnce() {
        assertThat(this.socket.pauseReading()).isTrue();
        assertThat(this.socket.pauseReading()).isTrue();
        assertThat(this.socket.isReadingPaused()).isTrue();

        this.socket.resumeReading();
        this.socket.resumeReading();

        assertThat(this.endpoint.calls).containsExactly("suspendReading", "resumeReading");
        assertThat(this.socket.isReadingPaused()).isFalse();
    }

    @Test
    void onAContainerThatCannotSuspendPauseAnswersFalseAndResumeDoesNothing() {
        this.endpoint.canSuspend = false;

        assertThat(this.socket.pauseReading()).isFalse();
        this.socket.resumeReading();

        assertThat(this.endpoint.calls).containsExactly("suspendReading");
        assertThat(this.socket.isReadingPaused()).isFalse();
    }

    @Test
    void aPausedSpokeIsNotClosedAsSilentPastTheHeartbeatTimeoutButIsPingedStill() {
        this.socket.pauseReading();

        this.clock.advance(SETTINGS.heartbeatTimeout().multipliedBy(3));
        this.socket.supervise(this.clock.getAsLong());
        this.scheduler.runAll();

        assertThat(this.socket.isOpen()).isTrue();
        assertThat(this.listener.events).isEmpty();
        assertThat(this.endpoint.calls).containsExactly("suspendReading", "ping");
    }

    @Test
    void afterResumingTheSpokeHasAWholeHeartbeatTimeoutToBeHeardFromAgain() {
        this.socket.pauseReading();
        this.clock.advance(SETTINGS.heartbeatTimeout().multipliedBy(3));
        this.socket.resumeReading();

        this.clock.advance(SETTINGS.heartbeatTimeout());
        this.socket.supervise(this.clock.getAsLong());
        assertThat(this.socket.isOpen()).isTrue();

        this.clock.advance(Duration.ofSeconds(1));
        this.socket.supervise(this.clock.getAsLong());
        assertThat(this.listener.events).containsExactly("close 1001 heartbeat timeout");
    }

    @Test
    void closingAPausedSocketResumesReadingSoThatThePeersCloseFrameIsRead() {
        this.socket.pauseReading();

        this.socket.close(1013, "slow consumer");

        assertThat(this.endpoint.calls).startsWith("suspendReading", "resumeReading");
        assertThat(this.socket.isReadingPaused()).isFalse();
        assertThat(this.socket.pauseReading()).as("a closed socket does not pause").isFalse();
    }
}
