package dev.fanout;

import java.security.Principal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import dev.fanout.testing.InMemoryRawSocket;
import dev.fanout.testing.ManualTimeSource;

import static dev.fanout.HistoryFrames.ackPayload;
import static dev.fanout.HistoryFrames.offsetsOf;
import static dev.fanout.HistoryFrames.subscribeSince;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A recovery's kept events are paced by the recovering socket's buffered amount, so that a recovery larger than the
 * backpressure threshold reaches a healthy reader instead of closing it as a slow consumer (docs/protocol.md,
 * "History and recovery").
 */
class RecoveryPacingTests {

    private static final long THRESHOLD = 10_000;

    private static final Duration TICK = Duration.ofMillis(5);

    private static final String TEXT = "x".repeat(200);

    private final ManualTimeSource clock = new ManualTimeSource();

    private final WebSocketServerEventTarget hub = WebSocketServerEventTarget.create(WebSocketServerOptions.builder()
        .backpressureThreshold(THRESHOLD)
        .timeSource(this.clock)
        .history(HistoryOptions.of(List.of(new HistoryRule("chat", 1000, Duration.ofMinutes(5))))
            .withMaxRecoveredEvents(1000))
        .build());

    @Test
    void aRecoveryLargerThanTheBackpressureThresholdReachesAHealthyReaderWhole() {
        String epoch = epochOf("chat");
        dispatch(200);
        ReadingSocket reader = new ReadingSocket();
        this.hub.addConnection(reader);

        reader.receive(subscribeSince("chat", "r1", epoch, 0));
        for (int tick = 0; tick < 1000 && offsetsOf(reader.sent, "chat").size() < 200; tick++) {
            reader.readEverything();
            this.clock.advance(TICK);
        }

        assertThat(reader.closeCode).as("closed").isZero();
        assertThat(ackPayload(reader.sent, "r1").path("recovered").asBoolean()).isTrue();
        assertThat(offsetsOf(reader.sent, "chat")).containsExactlyElementsOf(range(1, 200));
        assertThat(reader.largestBuffered).isLessThanOrEqualTo(THRESHOLD);
    }

    @Test
    void keptEventsWaitWhileTheSocketIsBackedUpAndTheLiveOnesFollowThemInOrder() {
        String epoch = epochOf("chat");
        dispatch(5);
        InMemoryRawSocket socket = new InMemoryRawSocket("backed-up");
        this.hub.addConnection(socket);
        socket.setBufferedAmount(THRESHOLD / 2 + 1);

        socket.receiveText(subscribeSince("chat", "r1", epoch, 2));
        dispatch(2);
        this.clock.advance(TICK);

        assertThat(ackPayload(socket.sentMessages(), "r1").path("recovered").asBoolean()).isTrue();
        assertThat(offsetsOf(socket.sentMessages(), "chat")).as("sent while backed up").isEmpty();

        socket.setBufferedAmount(0);
        this.clock.advance(TICK);
        dispatch(1);

        assertThat(offsetsOf(socket.sentMessages(), "chat")).containsExactly(3L, 4L, 5L, 6L, 7L, 8L);
        assertThat(socket.isOpen()).isTrue();
    }

    @Test
    void aRecoveringSpokeThatStopsReadingIsStillClosedAsASlowConsumerOnceItsLiveEventsOutgrowTheThreshold() {
        String epoch = epochOf("chat");
        dispatch(5);
        InMemoryRawSocket socket = new InMemoryRawSocket("stalled");
        this.hub.addConnection(socket);
        socket.setBufferedAmount(THRESHOLD / 2 + 1);
        socket.receiveText(subscribeSince("chat", "r1", epoch, 0));

        dispatch((int) (THRESHOLD / TEXT.length()) + 1);

        assertThat(socket.closeCode()).isEqualTo(CloseCodes.SLOW_CONSUMER);
        assertThat(offsetsOf(socket.sentMessages(), "chat")).isEmpty();
    }

    @Test
    void anUnsubscribeDuringAPacedRecoveryStopsItsKeptEvents() {
        String epoch = epochOf("chat");
        dispatch(5);
        InMemoryRawSocket socket = new InMemoryRawSocket("leaving");
        this.hub.addConnection(socket);
        socket.setBufferedAmount(THRESHOLD / 2 + 1);
        socket.receiveText(subscribeSince("chat", "r1", epoch, 0));

        socket.receiveText(Frames.unsubscribe("chat", "u1"));
        socket.setBufferedAmount(0);
        this.clock.advance(TICK);
        dispatch(1);

        assertThat(offsetsOf(socket.sentMessages(), "chat")).isEmpty();
        assertThat(socket.sentMessages()).contains(Frames.ack("u1", "chat"));
        assertThat(this.clock.pendingTasks()).as("checks left scheduled").isZero();
    }

    private String epochOf(String topic) {
        InMemoryRawSocket probe = new InMemoryRawSocket("probe");
        this.hub.addConnection(probe);
        probe.receiveText(Frames.subscribe(topic, "p"));
        String epoch = ackPayload(probe.sentMessages(), "p").path("epoch").asString();
        probe.closeFromPeer(1000, "");
        return epoch;
    }

    private void dispatch(int count) {
        for (int i = 0; i < count; i++) {
            this.hub.dispatchEvent(Event.of("chat", Map.of("text", TEXT)));
        }
    }

    private static List<Long> range(long first, long last) {
        return LongStream.rangeClosed(first, last).boxed().toList();
    }

    /**
     * A socket whose buffered amount grows by what is sent and falls to zero when its reader reads: a healthy reader
     * that reads as often as the test lets it.
     */
    private static final class ReadingSocket implements RawSocket {

        private final List<String> sent = new CopyOnWriteArrayList<>();

        private @Nullable Listener listener;

        private long buffered;

        private long largestBuffered;

        private int closeCode;

        @Override
        public synchronized void send(String text) {
            this.sent.add(text);
            this.buffered += text.length();
            this.largestBuffered = Math.max(this.largestBuffered, this.buffered);
        }

        @Override
        public synchronized long bufferedAmount() {
            return this.buffered;
        }

        @Override
        public synchronized void close(int code, String reason) {
            if (this.closeCode == 0) {
                this.closeCode = code;
            }
        }

        @Override
        public synchronized boolean isOpen() {
            return this.closeCode == 0;
        }

        @Override
        public void setListener(@Nullable Listener listener) {
            this.listener = listener;
        }

        @Override
        public @Nullable Principal principal() {
            return null;
        }

        void receive(String text) {
            Listener current = this.listener;
            if (current != null) {
                current.onText(text);
            }
        }

        synchronized void readEverything() {
            this.buffered = 0;
        }
    }
}
