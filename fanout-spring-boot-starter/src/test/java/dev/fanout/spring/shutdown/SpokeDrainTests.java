package dev.fanout.spring.shutdown;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.fanout.CloseCodes;
import dev.fanout.Event;
import dev.fanout.WebSocketServerEventTarget;

import static org.assertj.core.api.Assertions.assertThat;

class SpokeDrainTests {

    private static final Duration LIMIT = Duration.ofMinutes(5);

    private final WebSocketServerEventTarget hub = WebSocketServerEventTarget.create();

    private final VirtualDrainScheduler scheduler = new VirtualDrainScheduler();

    @Test
    void closesEverySpokeWithGoingAwayInEvenSlicesSpreadOverTheDrainPeriod() {
        List<ClockedSocket> sockets = connect(100);
        SpokeDrain drain = startedDrain(Duration.ofSeconds(1), Duration.ofSeconds(5));

        drainAndWait(drain);

        Map<Long, Integer> closesPerMillisecond = new TreeMap<>();
        for (ClockedSocket socket : sockets) {
            assertThat(socket.inMemory().closeCode()).isEqualTo(CloseCodes.GOING_AWAY);
            assertThat(socket.inMemory().closeReason()).isEqualTo(SpokeDrain.CLOSE_REASON);
            closesPerMillisecond.merge(socket.closedAtNanos() / 1_000_000, 1, Integer::sum);
        }
        List<Long> expectedTimes = new ArrayList<>();
        for (long slice = 0; slice < 20; slice++) {
            expectedTimes.add(slice * 50);
        }
        assertThat(closesPerMillisecond.keySet()).containsExactlyElementsOf(expectedTimes);
        assertThat(closesPerMillisecond.values()).containsOnly(5);
        assertThat(drain.closedSpokes()).isEqualTo(100);
    }

    @Test
    void fewerSpokesThanSlicesAreClosedOneBySpokeAcrossThePeriod() {
        List<ClockedSocket> sockets = connect(4);

        drainAndWait(startedDrain(Duration.ofSeconds(2), Duration.ofSeconds(5)));

        assertThat(sockets).extracting((socket) -> socket.closedAtNanos() / 1_000_000)
            .containsExactlyInAnyOrder(0L, 500L, 1000L, 1500L);
    }

    @Test
    void aZeroDrainPeriodClosesEverySpokeAtOnce() {
        List<ClockedSocket> sockets = connect(50);

        drainAndWait(startedDrain(Duration.ZERO, Duration.ofSeconds(5)));

        assertThat(sockets).extracting(ClockedSocket::closedAtNanos).containsOnly(0L);
    }

    @Test
    void newSpokesAreRefusedFromTheStartOfTheDrainOnly() {
        connect(3);
        SpokeDrain drain = new SpokeDrain(this.hub, Duration.ofSeconds(1), Duration.ofSeconds(5), () -> this.scheduler);
        assertThat(drain.isAcceptingSpokes()).isTrue();
        drain.start();
        assertThat(drain.isAcceptingSpokes()).isTrue();
        assertThat(drain.isRunning()).isTrue();

        drain.stop(() -> { });

        assertThat(drain.isAcceptingSpokes()).isFalse();
        assertThat(drain.isRunning()).isTrue();
        this.scheduler.runUntilIdle(LIMIT);
        assertThat(drain.isAcceptingSpokes()).isFalse();
        assertThat(drain.isRunning()).isFalse();
    }

    @Test
    void aSpokeIsRemovedFromTheHubAtOnceButClosedOnlyWhenWhatWasQueuedForItIsWritten() {
        ClockedSocket backlogged = connect(1).get(0);
        backlogged.inMemory().setBufferedAmount(4096);
        SpokeDrain drain = startedDrain(Duration.ZERO, Duration.ofSeconds(5));
        this.scheduler.schedule(Duration.ofMillis(300), () -> {
            assertThat(this.hub.connectionCount()).isZero();
            assertThat(backlogged.isOpen()).isTrue();
            this.hub.dispatchEvent(Event.of("news", "after removal"));
            backlogged.inMemory().setBufferedAmount(0);
        });

        drainAndWait(drain);

        assertThat(backlogged.closedAtNanos()).isBetween(Duration.ofMillis(300).toNanos(),
                Duration.ofMillis(300).plus(SpokeDrain.POLL).toNanos());
        assertThat(backlogged.inMemory().sentMessages()).isEmpty();
        assertThat(backlogged.inMemory().closeCode()).isEqualTo(CloseCodes.GOING_AWAY);
    }

    @Test
    void aSpokeThatNeverWritesItsQueueIsClosedAfterTheFlushTimeout() {
        ClockedSocket stuck = connect(1).get(0);
        stuck.inMemory().setBufferedAmount(4096);

        drainAndWait(startedDrain(Duration.ZERO, Duration.ofSeconds(2)));

        assertThat(stuck.closedAtNanos()).isBetween(Duration.ofSeconds(2).toNanos(),
                Duration.ofSeconds(2).plus(SpokeDrain.POLL).toNanos());
        assertThat(stuck.inMemory().closeCode()).isEqualTo(CloseCodes.GOING_AWAY);
    }

    @Test
    void aSpokeThatConnectsDuringTheDrainIsClosedWithTheLastSlice() {
        connect(10);
        SpokeDrain drain = startedDrain(Duration.ofSeconds(1), Duration.ofSeconds(5));
        List<ClockedSocket> late = new ArrayList<>();
        this.scheduler.schedule(Duration.ofMillis(120), () -> late.add(connectOne("late")));

        drainAndWait(drain);

        assertThat(late.get(0).closedAtNanos()).isEqualTo(Duration.ofMillis(900).toNanos());
        assertThat(this.hub.connectionCount()).isZero();
        assertThat(drain.closedSpokes()).isEqualTo(11);
    }

    @Test
    void aSpokeThatClosesByItselfDuringTheDrainIsNotClosedAgain() {
        List<ClockedSocket> sockets = connect(2);
        sockets.get(0).inMemory().setBufferedAmount(10);
        SpokeDrain drain = startedDrain(Duration.ZERO, Duration.ofSeconds(5));
        this.scheduler.schedule(Duration.ofMillis(100), () -> sockets.get(0).inMemory().closeFromPeer(1000, "bye"));

        drainAndWait(drain);

        assertThat(sockets.get(0).closedAtNanos()).isEqualTo(-1);
        assertThat(drain.closedSpokes()).isEqualTo(1);
    }

    @Test
    void theStopCallbackRunsAfterTheLastCloseAndTheSchedulerIsReleased() {
        List<ClockedSocket> sockets = connect(3);
        SpokeDrain drain = startedDrain(Duration.ofSeconds(3), Duration.ofSeconds(5));
        AtomicLong calledAt = new AtomicLong(-1);

        drain.stop(() -> calledAt.set(this.scheduler.nanoTime()));
        this.scheduler.runUntilIdle(LIMIT);

        long lastClose = sockets.stream().mapToLong(ClockedSocket::closedAtNanos).max().orElseThrow();
        assertThat(lastClose).isEqualTo(Duration.ofSeconds(2).toNanos());
        assertThat(calledAt.get()).isEqualTo(lastClose);
        assertThat(this.scheduler.isClosed()).isTrue();
    }

    @Test
    void stoppingADrainThatWasNeverStartedOnlyRunsTheCallback() {
        List<ClockedSocket> sockets = connect(2);
        SpokeDrain drain = new SpokeDrain(this.hub, Duration.ofSeconds(1), Duration.ofSeconds(5), () -> this.scheduler);
        AtomicBoolean called = new AtomicBoolean();

        drain.stop(() -> called.set(true));

        assertThat(called).isTrue();
        assertThat(sockets).allMatch(ClockedSocket::isOpen);
    }

    @Test
    void sliceCountIsOnePerFiftyMillisecondsAtMostOnePerSpokeAndAtLeastOne() {
        assertThat(SpokeDrain.sliceCount(10_000, Duration.ofSeconds(10))).isEqualTo(200);
        assertThat(SpokeDrain.sliceCount(3, Duration.ofSeconds(10))).isEqualTo(3);
        assertThat(SpokeDrain.sliceCount(0, Duration.ofSeconds(10))).isEqualTo(1);
        assertThat(SpokeDrain.sliceCount(100, Duration.ZERO)).isEqualTo(1);
    }

    private SpokeDrain startedDrain(Duration period, Duration flushTimeout) {
        SpokeDrain drain = new SpokeDrain(this.hub, period, flushTimeout, () -> this.scheduler);
        drain.start();
        return drain;
    }

    private void drainAndWait(SpokeDrain drain) {
        AtomicBoolean done = new AtomicBoolean();
        drain.stop(() -> done.set(true));
        this.scheduler.runUntilIdle(LIMIT);
        assertThat(done).isTrue();
    }

    private List<ClockedSocket> connect(int count) {
        List<ClockedSocket> sockets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sockets.add(connectOne("spoke-" + i));
        }
        return sockets;
    }

    private ClockedSocket connectOne(String name) {
        ClockedSocket socket = new ClockedSocket(name, this.scheduler::nanoTime);
        this.hub.addConnection(socket);
        return socket;
    }
}
