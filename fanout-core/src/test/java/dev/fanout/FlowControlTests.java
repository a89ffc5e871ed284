package dev.fanout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import dev.fanout.testing.InMemoryRawSocket;
import dev.fanout.testing.ManualTimeSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flow control on a hub with a manual clock: spokes whose relayed events back subscribers up are paused and resumed,
 * application publishers see the capacity of a topic, and nothing is ever held paused for longer than the drain
 * timeout.
 */
class FlowControlTests {

    private static final long THRESHOLD = 10_000;

    private static final long HIGH = 1_000;

    private static final long LOW = 100;

    private static final Duration CHECK = Duration.ofMillis(10);

    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(1);

    private final ManualTimeSource time = new ManualTimeSource();

    private final WebSocketServerEventTarget hub = WebSocketServerEventTarget.create(WebSocketServerOptions.builder()
        .backpressureThreshold(THRESHOLD)
        .flowControl(FlowControlOptions.of(HIGH, LOW).withCheckInterval(CHECK).withDrainTimeout(DRAIN_TIMEOUT))
        .timeSource(this.time)
        .build());

    FlowControlTests() {
        relay("chat", "feed");
    }

    @Test
    void aPublisherWhoseRelayedFanOutPutsASubscriberAboveHighWaterIsPausedAndResumedOnceItIsBelowLowWater() {
        InMemoryRawSocket publisher = connect(InMemoryRawSocket.pausable("publisher"));
        InMemoryRawSocket reader = connect(new InMemoryRawSocket("reader"), "feed");
        reader.setBufferedAmount(HIGH + 1);

        publisher.receiveText(Frames.event("chat", "1"));
        publisher.receiveText(Frames.event("chat", "2"));

        assertThat(publisher.isReadingPaused()).isTrue();
        assertThat(payloads(reader)).containsExactly("1");
        assertThat(publisher.waitingMessageCount()).isOne();
        assertThat(this.hub.statistics().publisherPauses()).isOne();
        assertThat(this.hub.statistics().pausedPublishers()).isOne();

        reader.setBufferedAmount(LOW + 1);
        this.time.advance(CHECK.multipliedBy(3));
        assertThat(publisher.isReadingPaused()).isTrue();

        reader.setBufferedAmount(LOW);
        this.time.advance(CHECK);
        assertThat(publisher.isReadingPaused()).isFalse();
        assertThat(payloads(reader)).containsExactly("1", "2");
        assertThat(this.hub.statistics().pausedPublishers()).isZero();
        assertThat(reader.isOpen()).isTrue();
        assertThat(this.time.pendingTasks()).as("no check is left scheduled once nothing is backed up").isZero();
    }

    @Test
    void aPublisherWaitsForEverySubscriberItBackedUpNotJustTheFirst() {
        InMemoryRawSocket publisher = connect(InMemoryRawSocket.pausable("publisher"));
        InMemoryRawSocket first = connect(new InMemoryRawSocket("first"), "feed");
        InMemoryRawSocket second = connect(new InMemoryRawSocket("second"), "feed");
        first.setBufferedAmount(HIGH + 1);
        second.setBufferedAmount(HIGH + 1);

        publisher.receiveText(Frames.event("chat", "1"));
        first.setBufferedAmount(0);
        this.time.advance(CHECK);

        assertThat(publisher.isReadingPaused()).isTrue();
        second.setBufferedAmount(0);
        this.time.advance(CHECK);
        assertThat(publisher.isReadingPaused()).isFalse();
        assertThat(publisher.pauseCount()).isOne();
    }

    @Test
    void aSocketThatDeliversItsWaitingMessagesWhileResumingIsPausedAgainAsSoonAsItBacksASubscriberUpAgain() {
        InMemoryRawSocket publisher = connect(InMemoryRawSocket.pausable("publisher"));
        InMemoryRawSocket reader = connect(new InMemoryRawSocket("reader"), "feed");
        this.hub.addSpokeEventListener("chat", (event, spoke) -> reader.setBufferedAmount(HIGH + 1));
        for (int seq = 1; seq <= 5; seq++) {
            publisher.receiveText(Frames.event("chat", String.valueOf(seq)));
        }
        assertThat(payloads(reader)).containsExactly("1", "2");
        assertThat(publisher.waitingMessageCount()).isEqualTo(3);

        reader.setBufferedAmount(LOW);
        this.time.advance(CHECK);

        assertThat(payloads(reader)).containsExactly("1", "2", "3", "4");
        assertThat(publisher.isReadingPaused()).isTrue();
        assertThat(publisher.waitingMessageCount()).isOne();
        assertThat(this.hub.statistics().pausedPublishers()).isOne();
        assertThat(this.hub.statistics().publisherPauses()).isEqualTo(2);
    }

    @Test
    void aSpokePublishingToATopicItSubscribesToIsNeverPausedByItsOwnBacklog() {
        InMemoryRawSocket echo = connect(InMemoryRawSocket.pausable("echo"), "feed");
        echo.setBufferedAmount(HIGH + 1);

        echo.receiveText(Frames.event("chat", "1"));
        echo.receiveText(Frames.event("chat", "2"));
        this.time.advance(DRAIN_TIMEOUT.multipliedBy(2));

        assertThat(echo.pauseCount()).isZero();
        assertThat(payloads(echo)).containsExactly("1", "2");
        assertThat(echo.isOpen()).isTrue();
    }

    @Test
    void aStalledSubscriberIsReleasedAfterTheDrainTimeoutThePublisherResumesAndTheStalledOneIsThenClosedWith1013() {
        InMemoryRawSocket publisher = connect(InMemoryRawSocket.pausable("publisher"));
        InMemoryRawSocket healthy = connect(new InMemoryRawSocket("healthy"), "feed");
        InMemoryRawSocket stalled = connect(new InMemoryRawSocket("stalled"), "feed");
        healthy.setBufferedAmount(HIGH + 1);
        stalled.setBufferedAmount(HIGH + 1);

        publisher.receiveText(Frames.event("chat", "1"));
        publisher.receiveText(Frames.event("chat", "2"));
        healthy.setBufferedAmount(0);
        this.time.advance(DRAIN_TIMEOUT.minus(CHECK));
        assertThat(publisher.isReadingPaused()).as("paused until the drain timeout").isTrue();

        this.time.advance(CHECK.multipliedBy(2));
        assertThat(publisher.isReadingPaused()).isFalse();
        assertThat(payloads(healthy)).containsExactly("1", "2");

        stalled.setBufferedAmount(THRESHOLD + 1);
        publisher.receiveText(Frames.event("chat", "3"));

        assertThat(stalled.closeCode()).isEqualTo(CloseCodes.SLOW_CONSUMER);
        assertThat(healthy.isOpen()).isTrue();
        assertThat(publisher.isOpen()).isTrue();
        assertThat(payloads(healthy)).containsExactly("1", "2", "3");
        assertThat(publisher.isReadingPaused()).isFalse();
    }

    @Test
    void anExemptSubscriberPausesPublishersAgainOnceItDrainedBelowTheLowWaterMark() {
        InMemoryRawSocket publisher = connect(InMemoryRawSocket.pausable("publisher"));
        InMemoryRawSocket reader = connect(new InMemoryRawSocket("reader"), "feed");
        reader.setBufferedAmount(HIGH + 1);
        publisher.receiveText(Frames.event("chat", "1"));
        this.time.advance(DRAIN_TIMEOUT.plus(CHECK));
        publisher.receiveText(Frames.event("chat", "2"));
        assertThat(publisher.isReadingPaused()).as("an exempt subscriber pauses no one").isFalse();

        reader.setBufferedAmount(LOW);
        this.time.advance(CHECK);
        reader.setBufferedAmount(HIGH + 1);
        publisher.receiveText(Frames.event("chat", "3"));

        assertThat(publisher.isReadingPaused()).isTrue();
        assertThat(publisher.pauseCount()).isEqualTo(2);
    }

    @Test
    void twoSpokesThatPublishToEachOthersTopicsDoNotDeadlock() {
        relay("to-a", "a");
        relay("to-b", "b");
        InMemoryRawSocket a = connect(InMemoryRawSocket.pausable("a"), "a");
        InMemoryRawSocket b = connect(InMemoryRawSocket.pausable("b"), "b");
        a.setBufferedAmount(HIGH + 1);
        b.setBufferedAmount(HIGH + 1);

        a.receiveText(Frames.event("to-b", "from a"));
        b.receiveText(Frames.event("to-a", "from b"));
        a.receiveText(Frames.event("to-b", "from a again"));
        b.receiveText(Frames.event("to-a", "from b again"));
        assertThat(a.isReadingPaused()).isTrue();
        assertThat(b.isReadingPaused()).isTrue();

        this.time.advance(DRAIN_TIMEOUT.plus(CHECK));

        assertThat(a.isReadingPaused()).isFalse();
        assertThat(b.isReadingPaused()).isFalse();
        assertThat(a.waitingMessageCount()).isZero();
        assertThat(b.waitingMessageCount()).isZero();
        assertThat(payloads(a)).containsExactly("from b", "from b again");
        assertThat(payloads(b)).containsExactly("from a", "from a again");
        assertThat(a.isOpen()).isTrue();
        assertThat(b.isOpen()).isTrue();
    }

    @Test
    void aPausedPublisherThatIsRemovedIsResumedAndForgotten() {
        InMemoryRawSocket publisher = connect(InMemoryRawSocket.pausable("publisher"));
        InMemoryRawSocket stalled = connect(new InMemoryRawSocket("stalled"), "feed");
        stalled.setBufferedAmount(HIGH + 1);
        publisher.receiveText(Frames.event("chat", "1"));

        this.hub.removeConnection(publisher);
        this.time.advance(CHECK);

        assertThat(publisher.isReadingPaused()).isFalse();
        assertThat(this.hub.statistics().pausedPublishers()).isZero();
    }

    @Test
    void aClosedSubscriberReleasesThePublishersWaitingForIt() {
        InMemoryRawSocket publisher = connect(InMemoryRawSocket.pausable("publisher"));
        InMemoryRawSocket reader = connect(new InMemoryRawSocket("reader"), "feed");
        reader.setBufferedAmount(HIGH + 1);
        publisher.receiveText(Frames.event("chat", "1"));

        reader.closeFromPeer(CloseCodes.GOING_AWAY, "bye");
        this.time.advance(CHECK);

        assertThat(publisher.isReadingPaused()).isFalse();
        assertThat(this.time.pendingTasks()).isZero();
    }

    @Test
    void aSocketThatCannotPauseGetsNoResumeCallsAndItsEventsAreStillRelayed() {
        ResumeCountingSocket publisher = new ResumeCountingSocket("v1 publisher");
        this.hub.addConnection(publisher);
        InMemoryRawSocket reader = connect(new InMemoryRawSocket("reader"), "feed");
        reader.setBufferedAmount(HIGH + 1);

        publisher.delegate.receiveText(Frames.event("chat", "1"));
        publisher.delegate.receiveText(Frames.event("chat", "2"));
        reader.setBufferedAmount(0);
        this.time.advance(DRAIN_TIMEOUT.plus(CHECK));

        assertThat(payloads(reader)).containsExactly("1", "2");
        assertThat(publisher.resumes).hasValue(0);
        assertThat(this.hub.statistics().publisherPauses()).isZero();
        assertThat(publisher.isOpen()).isTrue();
    }

    @Test
    void nothingIsScheduledWhileNoSubscriberIsAboveTheHighWaterMark() {
        InMemoryRawSocket publisher = connect(InMemoryRawSocket.pausable("publisher"));
        InMemoryRawSocket reader = connect(new InMemoryRawSocket("reader"), "feed");
        reader.setBufferedAmount(HIGH);

        publisher.receiveText(Frames.event("chat", "1"));
        this.hub.dispatchEvent(Event.of("feed", "2"));

        assertThat(this.time.pendingTasks()).isZero();
        assertThat(publisher.pauseCount()).isZero();
        assertThat(this.hub.hasCapacity("feed")).isTrue();
    }

    @Test
    void hasCapacityIsFalseWhileASubscriberOfTheTopicIsBackedUpAndAwaitCapacityCompletesOnceItDrained() {
        InMemoryRawSocket reader = connect(new InMemoryRawSocket("reader"), "prices");
        connect(new InMemoryRawSocket("other reader"), "news");
        reader.setBufferedAmount(HIGH + 1);
        this.hub.dispatchEvent(Event.of("prices", "1"));

        CompletionStage<Void> capacity = this.hub.awaitCapacity("prices");

        assertThat(this.hub.hasCapacity("prices")).isFalse();
        assertThat(this.hub.hasCapacity("news")).isTrue();
        assertThat(this.hub.awaitCapacity("news").toCompletableFuture()).isDone();
        assertThat(capacity.toCompletableFuture()).isNotDone();
        reader.setBufferedAmount(LOW + 1);
        this.time.advance(CHECK);
        assertThat(capacity.toCompletableFuture()).isNotDone();
        assertThat(this.hub.hasCapacity("prices")).as("still backed up above the low-water mark").isFalse();

        reader.setBufferedAmount(LOW);
        this.time.advance(CHECK);

        assertThat(capacity.toCompletableFuture()).isCompletedWithValue(null);
        assertThat(this.hub.hasCapacity("prices")).isTrue();
        assertThat(this.time.pendingTasks()).isZero();
    }

    @Test
    void aStalledSubscriberStopsCountingForCapacityAfterTheDrainTimeout() {
        InMemoryRawSocket stalled = connect(new InMemoryRawSocket("stalled"), "prices");
        stalled.setBufferedAmount(HIGH + 1);
        this.hub.dispatchEvent(Event.of("prices", "1"));
        CompletionStage<Void> capacity = this.hub.awaitCapacity("prices");

        this.time.advance(DRAIN_TIMEOUT.minus(CHECK));
        assertThat(capacity.toCompletableFuture()).isNotDone();
        this.time.advance(CHECK.multipliedBy(2));

        assertThat(capacity.toCompletableFuture()).isCompletedWithValue(null);
        assertThat(this.hub.hasCapacity("prices")).isTrue();
        this.hub.dispatchEvent(Event.of("prices", "2"));
        assertThat(this.hub.hasCapacity("prices")).as("an exempt subscriber stays ignored").isTrue();
        stalled.setBufferedAmount(THRESHOLD + 1);
        this.hub.dispatchEvent(Event.of("prices", "3"));
        assertThat(stalled.closeCode()).isEqualTo(CloseCodes.SLOW_CONSUMER);
    }

    @Test
    void aSubscriberThatLeavesTheTopicNoLongerCountsForItsCapacity() {
        InMemoryRawSocket reader = connect(new InMemoryRawSocket("reader"), "prices", "news");
        reader.setBufferedAmount(HIGH + 1);
        this.hub.dispatchEvent(Event.of("prices", "1"));

        reader.receiveText(Frames.unsubscribe("prices"));

        assertThat(this.hub.hasCapacity("prices")).isTrue();
        assertThat(this.hub.hasCapacity("news")).isFalse();
    }

    @Test
    void withFlowControlOffAPublisherIsNeverPausedCapacityIsAlwaysThereAndTheThresholdStillCloses() {
        WebSocketServerEventTarget unthrottled = WebSocketServerEventTarget.create(WebSocketServerOptions.builder()
            .backpressureThreshold(THRESHOLD)
            .flowControl(FlowControlOptions.off())
            .timeSource(this.time)
            .build());
        unthrottled.addSpokeEventListener("chat",
                (event, from) -> unthrottled.dispatchEvent(Event.of("feed", event.payload())));
        InMemoryRawSocket publisher = InMemoryRawSocket.pausable("publisher");
        unthrottled.addConnection(publisher);
        InMemoryRawSocket reader = new InMemoryRawSocket("reader");
        unthrottled.addConnection(reader);
        reader.receiveText(Frames.subscribe("feed"));
        reader.setBufferedAmount(THRESHOLD);

        publisher.receiveText(Frames.event("chat", "1"));

        assertThat(publisher.pauseCount()).isZero();
        assertThat(unthrottled.hasCapacity("feed")).isTrue();
        assertThat(unthrottled.awaitCapacity("feed").toCompletableFuture()).isDone();
        assertThat(this.time.pendingTasks()).isZero();
        reader.setBufferedAmount(THRESHOLD + 1);
        publisher.receiveText(Frames.event("chat", "2"));
        assertThat(reader.closeCode()).isEqualTo(CloseCodes.SLOW_CONSUMER);
    }

    private void relay(String from, String to) {
        this.hub.addSpokeEventListener(from, (event, spoke) -> this.hub.dispatchEvent(Event.of(to, event.payload())));
    }

    private InMemoryRawSocket connect(InMemoryRawSocket socket, String... topics) {
        this.hub.addConnection(socket);
        for (String topic : topics) {
            socket.receiveText(Frames.subscribe(topic));
        }
        return socket;
    }

    /** The payloads of the events sent to a socket, in order, without the hub's control replies. */
    static List<String> payloads(InMemoryRawSocket socket) {
        return socket.sentMessages()
            .stream()
            .map((frame) -> Frames.MAPPER.readTree(frame))
            .filter((frame) -> !frame.get("type").asString().startsWith("__"))
            .map((frame) -> frame.get("payload").asString())
            .toList();
    }

    /**
     * A socket written for protocol 1: it inherits {@link RawSocket#pauseReading()}, and counts resume calls.
     */
    private static final class ResumeCountingSocket implements RawSocket {

        private final InMemoryRawSocket delegate;

        private final AtomicInteger resumes = new AtomicInteger();

        ResumeCountingSocket(String name) {
            this.delegate = new InMemoryRawSocket(name);
        }

        @Override
        public void send(String text) {
            this.delegate.send(text);
        }

        @Override
        public long bufferedAmount() {
            return this.delegate.bufferedAmount();
        }

        @Override
        public void close(int code, String reason) {
            this.delegate.close(code, reason);
        }

        @Override
        public boolean isOpen() {
            return this.delegate.isOpen();
        }

        @Override
        public void setListener(@Nullable Listener listener) {
            this.delegate.setListener(listener);
        }

        @Override
        public void resumeReading() {
            this.resumes.incrementAndGet();
        }
    }
}
