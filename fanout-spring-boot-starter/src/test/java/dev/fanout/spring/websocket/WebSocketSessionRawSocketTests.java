package dev.fanout.spring.websocket;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import dev.fanout.RawSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

class WebSocketSessionRawSocketTests {

    private static final SocketSettings SETTINGS = new SocketSettings(Duration.ofSeconds(10), Duration.ofSeconds(25),
            Duration.ofSeconds(60), 10);

    private final FakeEndpoint endpoint = new FakeEndpoint();

    private final ManualScheduler scheduler = new ManualScheduler();

    private final List<Runnable> ioTasks = new CopyOnWriteArrayList<>();

    private final ManualClock clock = new ManualClock();

    private final List<Long> stalls = new CopyOnWriteArrayList<>();

    private final RecordingListener listener = new RecordingListener();

    private final WebSocketSessionRawSocket socket = socket(
            new SocketRuntime(SETTINGS, this.scheduler, this.ioTasks::add, this.clock));

    private WebSocketSessionRawSocket socket(SocketRuntime runtime) {
        WebSocketSessionRawSocket created = new WebSocketSessionRawSocket(new SessionInfo("s1", null, null, Map.of()),
                this.endpoint, runtime, new FrameSizer(), (stalled, amount) -> this.stalls.add(amount));
        created.setListener(this.listener);
        return created;
    }

    @Test
    void publishersNeverWriteNotEvenToAnIdleSocketEverySendIsWrittenByADrainer() throws InterruptedException {
        try (SocketThreads threads = new SocketThreads(System::nanoTime)) {
            WebSocketSessionRawSocket shared = socket(
                    new SocketRuntime(SETTINGS, threads.scheduler(), threads.io(), System::nanoTime));
            Set<Thread> publishers = ConcurrentHashMap.newKeySet();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            CountDownLatch done = new CountDownLatch(4);
            for (int p = 0; p < 4; p++) {
                int publisher = p;
                pool.execute(() -> {
                    publishers.add(Thread.currentThread());
                    for (int i = 0; i < 500; i++) {
                        shared.send("p" + publisher + "-" + i);
                    }
                    done.countDown();
                });
            }
            done.await();
            pool.shutdown();
            await().atMost(Duration.ofSeconds(20)).until(() -> this.endpoint.texts.size() == 2_000);
            assertThat(this.endpoint.threads).isNotEmpty()
                .doesNotContainAnyElementsOf(publishers)
                .allSatisfy((thread) -> assertThat(thread.getName()).startsWith("fanout-send-"));
        }
    }

    @Test
    void sendQueuesAndReturnsWithTheBytesCountedInTheBufferedAmount() {
        this.socket.send("héllo");
        assertThat(this.socket.bufferedAmount()).isEqualTo(6);
        assertThat(this.endpoint.calls).isEmpty();
        this.scheduler.runAll();
        assertThat(this.endpoint.texts).containsExactly("héllo");
        assertThat(this.socket.bufferedAmount()).isZero();
    }

    @Test
    void sendAfterCloseThrowsAndNothingMoreIsWritten() {
        this.socket.close(1000, "bye");
        assertThat(this.socket.isOpen()).isFalse();
        assertThatIllegalStateException().isThrownBy(() -> this.socket.send("late"));
        this.scheduler.runAll();
        assertThat(this.endpoint.calls).containsExactly("close 1000");
    }

    @Test
    void closeTellsTheListenerAtOnceAndOnlyOnceWhateverClosesItAfterwards() {
        this.socket.close(1013, "slow consumer");
        this.socket.close(1000, "again");
        this.socket.closedByContainer(org.springframework.web.socket.CloseStatus.NORMAL);
        assertThat(this.listener.events).containsExactly("close 1013 slow consumer");
        assertThat(this.socket.closeStatus().getCode()).isEqualTo(1013);
    }

    @Test
    void stalledSendThenCloseEvictsWith1013ReportsTheBufferedBytesAndClosesTheEndpointOnTheIoExecutor() {
        this.endpoint.completes = FakeEndpoint.Completes.LATER;
        this.socket.send("stuck");
        this.socket.send("behind");
        this.scheduler.runAll();
        this.clock.advance(SETTINGS.sendStallTimeout());
        this.socket.supervise(this.clock.getAsLong());
        assertThat(this.stalls).isEmpty();
        this.clock.advance(Duration.ofMillis(1));
        this.socket.supervise(this.clock.getAsLong());
        assertThat(this.stalls).containsExactly(11L);
        assertThat(this.listener.events).containsExactly("close 1013 slow consumer");
        assertThat(this.endpoint.calls).containsExactly("beginBatch", "send stuck");
        assertThat(this.ioTasks).hasSize(1);
        this.ioTasks.get(0).run();
        assertThat(this.endpoint.calls).containsExactly("beginBatch", "send stuck", "close 1013");
        this.socket.supervise(this.clock.getAsLong());
        assertThat(this.ioTasks).hasSize(1);
    }

    @Test
    void closeWhileAWriteIsStuckIsForcedOnceTheWriteCountsAsStalled() {
        this.endpoint.completes = FakeEndpoint.Completes.LATER;
        this.socket.send("stuck");
        this.socket.send("behind");
        this.scheduler.runAll();
        this.socket.close(1001, "server shutting down");
        this.clock.advance(SETTINGS.sendStallTimeout().plusMillis(1));
        this.socket.supervise(this.clock.getAsLong());
        assertThat(this.stalls).isEmpty();
        assertThat(this.ioTasks).hasSize(1);
        this.ioTasks.get(0).run();
        assertThat(this.endpoint.calls).containsExactly("beginBatch", "send stuck", "close 1001");
    }

    @Test
    void quietSpokeIsPingedEveryIntervalAndASilentOneIsClosedWith1001() {
        this.clock.advance(SETTINGS.heartbeatInterval());
        this.socket.supervise(this.clock.getAsLong());
        this.scheduler.runAll();
        assertThat(this.endpoint.calls).containsExactly("ping");
        this.socket.supervise(this.clock.getAsLong());
        this.scheduler.runAll();
        assertThat(this.endpoint.calls).containsExactly("ping");
        this.clock.advance(SETTINGS.heartbeatTimeout());
        this.socket.supervise(this.clock.getAsLong());
        assertThat(this.listener.events).containsExactly("close 1001 heartbeat timeout");
    }

    @Test
    void pongKeepsASpokeAlivePastTheHeartbeatTimeout() {
        this.clock.advance(SETTINGS.heartbeatTimeout());
        this.socket.receivePong();
        this.clock.advance(Duration.ofSeconds(1));
        this.socket.supervise(this.clock.getAsLong());
        assertThat(this.socket.isOpen()).isTrue();
    }

    @Test
    void inboundPartsAreJoinedAndAnOversizedMessageClosesWith1009() {
        this.socket.receiveText("abc", false);
        this.socket.receiveText("def", true);
        this.socket.receiveBinary(ByteBuffer.wrap(new byte[] { 1, 2 }), true);
        this.socket.receiveText("0123456789", false);
        this.socket.receiveText("x", true);
        this.socket.receiveText("after", true);
        assertThat(this.listener.events).containsExactly("text abcdef", "binary 2", "close 1009 message too big");
        this.scheduler.runAll();
        assertThat(this.endpoint.calls).containsExactly("close 1009");
    }

    @Test
    void failedSendClosesTheSocketWith1011() {
        this.endpoint.writeFailure = new java.io.IOException("reset");
        this.socket.send("a");
        this.scheduler.runAll();
        assertThat(this.listener.events).containsExactly("close 1011 send failed");
        assertThat(this.endpoint.calls).containsExactly("write a", "close 1011");
    }

    static final class RecordingListener implements RawSocket.Listener {

        final List<String> events = new ArrayList<>();

        @Override
        public void onText(String text) {
            this.events.add("text " + text);
        }

        @Override
        public void onBinary(byte[] data) {
            this.events.add("binary " + data.length);
        }

        @Override
        public void onClose(int code, @Nullable String reason) {
            this.events.add("close " + code + " " + reason);
        }
    }
}
