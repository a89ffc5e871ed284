package dev.fanout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.fanout.testing.InMemoryRawSocket;

import static dev.fanout.HistoryFrames.ackPayload;
import static dev.fanout.HistoryFrames.offsetsOf;
import static dev.fanout.HistoryFrames.subscribeSince;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recovery merge under a concurrent publisher: the spoke joins the topic with its live events buffered, the
 * history is read, and the two are merged by offset. A gated store holds the history read back so each interleaving
 * that matters runs deterministically; a stress test adds a publisher at full speed.
 */
class RecoveryConcurrencyTests {

    private static final HistoryRule CHAT = new HistoryRule("chat", 10_000, Duration.ofMinutes(5));

    private final GatedStore gated = new GatedStore();

    private final WebSocketServerEventTarget hub = WebSocketServerEventTarget.create(WebSocketServerOptions.builder()
        .history(HistoryOptions.of(List.of(CHAT)).withMaxRecoveredEvents(10_000).withStore(this.gated::wrap))
        .build());

    @Test
    void eventsDispatchedWhileTheHistoryIsReadAreSentOnceAfterTheRecoveredOnes() {
        String epoch = positionOf("chat").epoch();
        dispatch(5);
        this.gated.hold();
        InMemoryRawSocket socket = socket("spoke");
        socket.receiveText(subscribeSince("chat", "r1", epoch, 2));

        dispatch(3);
        assertThat(socket.sentMessages()).isEmpty();
        this.gated.readNow();
        dispatch(2);
        assertThat(socket.sentMessages()).isEmpty();
        this.gated.complete();
        dispatch(1);

        assertThat(Frames.replySummary(socket.sentMessages().get(0))).isEqualTo("__ack:r1");
        assertThat(ackPayload(socket.sentMessages(), "r1").path("offset").asLong()).isEqualTo(8);
        assertThat(offsetsOf(socket.sentMessages(), "chat")).containsExactlyElementsOf(range(3, 11));
    }

    @Test
    void afterAnUnsubscribeAndANewSubscribeTheTopicsEventsAreSentAgainFromTheNewPosition() {
        String epoch = positionOf("chat").epoch();
        InMemoryRawSocket socket = socket("spoke");
        socket.receiveText(Frames.subscribe("chat", "s1"));
        dispatch(4);
        socket.receiveText(Frames.unsubscribe("chat", "u1"));

        socket.receiveText(subscribeSince("chat", "r1", epoch, 1));
        dispatch(1);

        assertThat(offsetsOf(socket.sentMessages(), "chat")).containsExactly(1L, 2L, 3L, 4L, 2L, 3L, 4L, 5L);
    }

    @Test
    void anUnsubscribeDuringTheRecoveryCancelsItAndNothingOfTheTopicIsSentAfterwards() {
        String epoch = positionOf("chat").epoch();
        dispatch(2);
        this.gated.hold();
        InMemoryRawSocket socket = socket("spoke");
        socket.receiveText(subscribeSince("chat", "r1", epoch, 0));
        dispatch(1);

        socket.receiveText(Frames.unsubscribe("chat", "u1"));
        this.gated.readNow();
        this.gated.complete();
        dispatch(1);

        assertThat(socket.sentMessages()).extracting(Frames::replySummary)
            .containsExactly("__error:r1:cancelled", "__ack:u1");
    }

    @Test
    void aSpokeWhoseBufferedLiveEventsPassTheBackpressureThresholdIsClosedAsASlowConsumer() {
        WebSocketServerEventTarget tight = WebSocketServerEventTarget.create(WebSocketServerOptions.builder()
            .backpressureThreshold(200)
            .history(HistoryOptions.of(List.of(CHAT)).withStore(this.gated::wrap))
            .build());
        this.gated.hold();
        InMemoryRawSocket socket = new InMemoryRawSocket("spoke");
        tight.addConnection(socket);
        socket.receiveText(Frames.subscribe("chat", "s1"));

        for (int i = 0; i < 10; i++) {
            tight.dispatchEvent(Event.of("chat", Map.of("text", "0123456789")));
        }

        assertThat(socket.closeCode()).isEqualTo(CloseCodes.SLOW_CONSUMER);
        assertThat(tight.connectionCount()).isZero();
    }

    @Test
    void spokesRecoveringWhileAPublisherDispatchesAtFullSpeedReceiveEveryEventAfterTheirPositionOnceInOrder()
            throws InterruptedException {
        String epoch = positionOf("chat").epoch();
        AtomicBoolean publishing = new AtomicBoolean(true);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread publisher = new Thread(() -> {
            try {
                while (publishing.get()) {
                    this.hub.dispatchEvent(Event.of("chat"));
                }
            }
            catch (Throwable ex) {
                failure.set(ex);
            }
        }, "publisher");
        publisher.start();
        List<Recovering> spokes = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 100; i++) {
            long since = positionOf("chat").offset();
            InMemoryRawSocket socket = socket("spoke-" + i);
            socket.receiveText(subscribeSince("chat", "r" + i, epoch, since));
            spokes.add(new Recovering(socket, "r" + i, since));
        }
        publishing.set(false);
        publisher.join();
        long last = positionOf("chat").offset();

        assertThat(failure.get()).isNull();
        for (Recovering spoke : spokes) {
            assertThat(ackPayload(spoke.socket().sentMessages(), spoke.id()).path("recovered").asBoolean()).isTrue();
            assertThat(offsetsOf(spoke.socket().sentMessages(), "chat"))
                .as(spoke.socket().toString())
                .containsExactlyElementsOf(range(spoke.since() + 1, last));
        }
    }

    private StreamPosition positionOf(String topic) {
        InMemoryRawSocket probe = socket("probe");
        probe.receiveText(Frames.subscribe(topic, "probe"));
        probe.closeFromPeer(1000, "done");
        JsonNode ack = ackPayload(probe.sentMessages(), "probe");
        return new StreamPosition(ack.path("epoch").asString(), ack.path("offset").asLong());
    }

    private void dispatch(int count) {
        for (int i = 0; i < count; i++) {
            this.hub.dispatchEvent(Event.of("chat"));
        }
    }

    private InMemoryRawSocket socket(String name) {
        InMemoryRawSocket socket = new InMemoryRawSocket(name);
        this.hub.addConnection(socket);
        return socket;
    }

    private static List<Long> range(long first, long last) {
        return LongStream.rangeClosed(first, last).boxed().toList();
    }

    private record Recovering(InMemoryRawSocket socket, String id, long since) {
    }

    /**
     * Wraps the in-memory store; while {@linkplain #hold() held}, a read waits until the test {@linkplain #readNow()
     * reads} the history and then {@linkplain #complete() hands} the result over.
     */
    private static final class GatedStore {

        private final List<Runnable> reads = new ArrayList<>();

        private final List<Runnable> completions = new ArrayList<>();

        private volatile boolean held;

        HistoryStore wrap(HistoryStore.Context context) {
            HistoryStore inMemory = HistoryStore.inMemory().create(context);
            return new HistoryStore() {

                @Override
                public void append(String topic, HistoryRule rule, String frame, Delivery delivery) {
                    inMemory.append(topic, rule, frame, delivery);
                }

                @Override
                public CompletionStage<HistorySlice> read(String topic, HistoryRule rule, long afterOffset, int limit) {
                    if (!GatedStore.this.held) {
                        return inMemory.read(topic, rule, afterOffset, limit);
                    }
                    CompletableFuture<HistorySlice> handedOver = new CompletableFuture<>();
                    synchronized (GatedStore.this) {
                        GatedStore.this.reads.add(() -> {
                            HistorySlice slice = inMemory.read(topic, rule, afterOffset, limit)
                                .toCompletableFuture()
                                .join();
                            synchronized (GatedStore.this) {
                                GatedStore.this.completions.add(() -> handedOver.complete(slice));
                            }
                        });
                    }
                    return handedOver;
                }
            };
        }

        void hold() {
            this.held = true;
        }

        void readNow() {
            runAll(this.reads);
        }

        void complete() {
            this.held = false;
            runAll(this.completions);
        }

        private void runAll(List<Runnable> tasks) {
            List<Runnable> due;
            synchronized (this) {
                due = List.copyOf(tasks);
                tasks.clear();
            }
            due.forEach(Runnable::run);
        }
    }
}
