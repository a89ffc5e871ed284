package dev.fanout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.fanout.testing.InMemoryRawSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class BackpressureTests {

    private static final long THRESHOLD = 1_000;

    private final List<String> calls = new CopyOnWriteArrayList<>();

    private final InMemoryRawSocket slow = new InMemoryRawSocket("slow");

    private final InMemoryRawSocket fast = new InMemoryRawSocket("fast");

    private final WebSocketServerEventTarget hub = WebSocketServerEventTarget.create(WebSocketServerOptions.builder()
        .backpressureThreshold(THRESHOLD)
        .onBackpressure((spoke, socket, bufferedAmount) -> this.calls.add("onBackpressure " + socket + " "
                + bufferedAmount + " open=" + socket.isOpen() + " connected=" + spoke.isConnected()))
        .onDisconnection((spoke, socket) -> this.calls
            .add("onDisconnection " + socket + " closeCode=" + ((InMemoryRawSocket) socket).closeCode()))
        .build());

    @Test
    void aSocketBufferingMoreThanTheThresholdGetsOnBackpressureFirstThenA1013CloseThenRemovalAndOnDisconnection() {
        SpokeEventTarget slowSpoke = connect(this.slow, "news");
        this.slow.setBufferedAmount(THRESHOLD + 1);

        boolean result = this.hub.dispatchEvent(Event.of("news"));

        assertThat(result).isTrue();
        assertThat(this.calls).containsExactly("onBackpressure " + this.slow + " 1001 open=true connected=true",
                "onDisconnection " + this.slow + " closeCode=1013");
        assertThat(this.slow.closeCode()).isEqualTo(CloseCodes.SLOW_CONSUMER);
        assertThat(this.slow.closeReason()).isNotBlank();
        assertThat(slowSpoke.isConnected()).isFalse();
        assertThat(this.hub.connectionCount()).isZero();
        assertThat(this.hub.topicSubscriberCounts()).isEmpty();
    }

    @Test
    void theMessageThatTrippedBackpressureIsNotSentToThatSocketButEveryOtherSubscriberGetsIt() {
        connect(this.slow, "news");
        connect(this.fast, "news");
        this.slow.setBufferedAmount(THRESHOLD + 1);

        this.hub.dispatchEvent(Event.of("news", "the one"));
        this.hub.dispatchEvent(Event.of("news", "the next"));

        assertThat(this.slow.sentMessages()).isEmpty();
        assertThat(this.fast.sentMessages()).containsExactly("{\"type\":\"news\",\"payload\":\"the one\"}",
                "{\"type\":\"news\",\"payload\":\"the next\"}");
        assertThat(this.hub.topicSubscriberCounts()).containsExactly(entry("news", 1));
    }

    @Test
    void aSocketBufferingExactlyTheThresholdStillGetsTheMessage() {
        connect(this.slow, "news");
        this.slow.setBufferedAmount(THRESHOLD);

        this.hub.dispatchEvent(Event.of("news"));

        assertThat(this.slow.sentMessages()).hasSize(1);
        assertThat(this.slow.isOpen()).isTrue();
        assertThat(this.calls).isEmpty();
    }

    @Test
    void aDirectMessageToASlowSpokeIsSubjectToBackpressureToo() {
        SpokeEventTarget slowSpoke = connect(this.slow);
        this.slow.setBufferedAmount(THRESHOLD * 10);

        boolean result = slowSpoke.dispatchEvent(Event.of("direct"));

        assertThat(result).isTrue();
        assertThat(this.slow.sentMessages()).isEmpty();
        assertThat(this.slow.closeCode()).isEqualTo(CloseCodes.SLOW_CONSUMER);
        assertThat(this.calls).hasSize(2);
    }

    @Test
    void anOnBackpressureCallbackThatThrowsStillLetsTheHubCloseAndRemoveTheSocket() {
        AtomicInteger disconnections = new AtomicInteger();
        WebSocketServerEventTarget hub = WebSocketServerEventTarget.create(WebSocketServerOptions.builder()
            .backpressureThreshold(THRESHOLD)
            .onBackpressure((spoke, socket, bufferedAmount) -> {
                throw new IllegalStateException("callback bug");
            })
            .onDisconnection((spoke, socket) -> disconnections.incrementAndGet())
            .build());
        hub.addConnection(this.slow);
        this.slow.receiveText(Frames.subscribe("news"));
        hub.addConnection(this.fast);
        this.fast.receiveText(Frames.subscribe("news"));
        this.slow.setBufferedAmount(THRESHOLD + 1);

        hub.dispatchEvent(Event.of("news"));

        assertThat(this.slow.closeCode()).isEqualTo(CloseCodes.SLOW_CONSUMER);
        assertThat(disconnections).hasValue(1);
        assertThat(this.fast.sentMessages()).hasSize(1);
    }

    @Test
    @Timeout(30)
    void concurrentDispatchersCallOnBackpressureOnlyOnce() throws Exception {
        int dispatchers = 8;
        CountDownLatch evictorWaitsUntilTheOtherDispatchersAreDone = new CountDownLatch(dispatchers - 1);
        AtomicInteger backpressureCalls = new AtomicInteger();
        AtomicInteger disconnections = new AtomicInteger();
        WebSocketServerEventTarget hub = WebSocketServerEventTarget.create(WebSocketServerOptions.builder()
            .backpressureThreshold(THRESHOLD)
            .onBackpressure((spoke, socket, bufferedAmount) -> {
                backpressureCalls.incrementAndGet();
                awaitQuietly(evictorWaitsUntilTheOtherDispatchersAreDone);
            })
            .onDisconnection((spoke, socket) -> disconnections.incrementAndGet())
            .build());
        hub.addConnection(this.slow);
        this.slow.receiveText(Frames.subscribe("news"));
        hub.addConnection(this.fast);
        this.fast.receiveText(Frames.subscribe("news"));
        this.slow.setBufferedAmount(THRESHOLD + 1);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(dispatchers);
        try {
            List<Future<?>> results = new ArrayList<>();
            for (int i = 0; i < dispatchers; i++) {
                int n = i;
                results.add(pool.submit(() -> {
                    awaitQuietly(start);
                    hub.dispatchEvent(Event.of("news", n));
                    evictorWaitsUntilTheOtherDispatchersAreDone.countDown();
                }));
            }
            start.countDown();
            for (Future<?> result : results) {
                result.get(20, TimeUnit.SECONDS);
            }
        }
        finally {
            pool.shutdownNow();
        }

        assertThat(backpressureCalls).hasValue(1);
        assertThat(disconnections).hasValue(1);
        assertThat(this.slow.sentMessages()).isEmpty();
        assertThat(this.slow.closeCode()).isEqualTo(CloseCodes.SLOW_CONSUMER);
        assertThat(this.fast.sentMessages()).hasSize(dispatchers);
    }

    private SpokeEventTarget connect(InMemoryRawSocket socket, String... topics) {
        SpokeEventTarget spoke = this.hub.addConnection(socket);
        for (String topic : topics) {
            socket.receiveText(Frames.subscribe(topic));
        }
        return spoke;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
