package dev.fanout.spring.websocket;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.springframework.web.socket.CloseStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class SendLoopTests {

    private static final CloseStatus SLOW = new CloseStatus(1013, "slow consumer");

    private final FakeEndpoint endpoint = new FakeEndpoint(150);

    private final ManualScheduler scheduler = new ManualScheduler();

    private final ManualClock clock = new ManualClock();

    private final List<Throwable> failures = new CopyOnWriteArrayList<>();

    private final SendLoop loop = new SendLoop(this.endpoint, this.scheduler, this.clock, this.failures::add);

    @Test
    void offerOnlyQueuesAndSchedulesTheIdleLoopOnceWithoutTouchingTheEndpoint() {
        this.loop.offer("a", 1);
        this.loop.offer("b", 1);
        assertThat(this.endpoint.calls).isEmpty();
        assertThat(this.scheduler.scheduledCount()).isEqualTo(1);
        assertThat(this.loop.state()).isEqualTo(SendLoop.State.SCHEDULED);
    }

    @Test
    void queuedMessagesAreSentInOrderAsOneBatchThatIsThenFlushed() {
        this.loop.offer("a", 1);
        this.loop.offer("b", 1);
        this.loop.offer("c", 1);
        this.scheduler.runAll();
        assertThat(this.endpoint.calls).containsExactly("beginBatch", "send a", "send b", "send c", "endBatch");
        assertThat(this.loop.state()).isEqualTo(SendLoop.State.IDLE);
        assertThat(this.loop.bufferedAmount()).isZero();
    }

    @Test
    void loneMessageIsWrittenDirectlyWithoutABatchAndEachIdleSpellIsScheduledOnce() {
        this.loop.offer("a", 10);
        this.scheduler.runAll();
        assertThat(this.loop.bufferedAmount()).isZero();
        this.loop.offer("b", 10);
        this.scheduler.runAll();
        assertThat(this.endpoint.calls).containsExactly("write a", "write b");
        assertThat(this.scheduler.scheduledCount()).isEqualTo(2);
    }

    @Test
    void failedDirectWriteIsReportedAndReleasesItsBytes() {
        IOException failure = new IOException("broken pipe");
        this.endpoint.writeFailure = failure;
        this.loop.offer("a", 10);
        this.scheduler.runAll();
        assertThat(this.failures).containsExactly(failure);
        assertThat(this.loop.bufferedAmount()).isZero();
    }

    @Test
    void sendCompletedLaterIsCarriedOnByItsCompletionThroughTheScheduler() {
        this.endpoint.completes = FakeEndpoint.Completes.LATER;
        this.loop.offer("a", 1);
        this.loop.offer("b", 1);
        this.scheduler.runAll();
        assertThat(this.endpoint.calls).containsExactly("beginBatch", "send a");
        assertThat(this.loop.state()).isEqualTo(SendLoop.State.AWAITING_SEND);
        this.endpoint.completeNext(null);
        assertThat(this.loop.state()).isEqualTo(SendLoop.State.SCHEDULED);
        assertThat(this.endpoint.calls).hasSize(2);
        this.scheduler.runAll();
        this.endpoint.completeNext(null);
        this.scheduler.runAll();
        assertThat(this.endpoint.calls).containsExactly("beginBatch", "send a", "send b", "endBatch");
    }

    @Test
    void closeDuringASendWaitsForItsCompletionAndTheFlushThenClosesTheEndpoint() {
        this.endpoint.completes = FakeEndpoint.Completes.LATER;
        this.loop.offer("a", 1);
        this.loop.offer("b", 1);
        this.scheduler.runAll();
        assertThat(this.loop.close(SLOW)).isTrue();
        this.scheduler.runAll();
        assertThat(this.endpoint.calls).containsExactly("beginBatch", "send a");
        this.endpoint.completeNext(null);
        this.scheduler.runAll();
        assertThat(this.endpoint.calls).containsExactly("beginBatch", "send a", "endBatch", "close 1013");
        assertThat(this.loop.state()).isEqualTo(SendLoop.State.CLOSED);
    }

    @Test
    void closeDuringAnOpenBatchDropsTheRestFlushesTheBatchAndThenWritesTheClose() {
        this.endpoint.hook = (call) -> {
            if (call.equals("send b")) {
                this.loop.close(SLOW);
            }
        };
        this.loop.offer("a", 1);
        this.loop.offer("b", 1);
        this.loop.offer("c", 1);
        this.scheduler.runAll();
        assertThat(this.endpoint.calls).containsExactly("beginBatch", "send a", "send b", "endBatch", "close 1013");
    }

    @Test
    void pingDuringABatchIsWrittenAfterTheFlushAndTheRestFollowsInANewBatch() {
        this.endpoint.hook = (call) -> {
            if (call.equals("send a")) {
                this.loop.requestPing();
            }
        };
        this.loop.offer("a", 1);
        this.loop.offer("b", 1);
        this.scheduler.runAll();
        assertThat(this.endpoint.calls).containsExactly("beginBatch", "send a", "endBatch", "ping", "write b");
    }

    @Test
    void pingRequestedWhileIdleIsWrittenAlone() {
        this.loop.requestPing();
        this.loop.requestPing();
        this.scheduler.runAll();
        assertThat(this.endpoint.calls).containsExactly("ping");
    }

    @Test
    void stalledSendKeepsItsStartTimeAndAnAbortClosesWithoutWaitingForIt() {
        this.endpoint.completes = FakeEndpoint.Completes.LATER;
        this.loop.offer("a", 1);
        this.loop.offer("b", 1);
        long start = this.clock.getAsLong();
        this.scheduler.runAll();
        this.clock.advance(Duration.ofSeconds(30));
        assertThat(this.loop.writingSince()).isEqualTo(start);
        this.loop.close(SLOW);
        this.scheduler.runAll();
        assertThat(this.endpoint.calls).doesNotContain("close 1013");
        assertThat(this.loop.abort()).isEqualTo(SLOW);
        assertThat(this.loop.abort()).isNull();
        assertThat(this.loop.state()).isEqualTo(SendLoop.State.CLOSED);
        this.endpoint.completeNext(null);
        this.scheduler.runAll();
        assertThat(this.endpoint.calls).containsExactly("beginBatch", "send a");
    }

    @Test
    void abortBeforeAnyCloseWasAcceptedDoesNothing() {
        this.loop.offer("a", 1);
        assertThat(this.loop.abort()).isNull();
        this.scheduler.runAll();
        assertThat(this.endpoint.calls).containsExactly("write a");
    }

    @Test
    void sendAfterCloseIsRefusedAndTheCloseIsAcceptedOnce() {
        assertThat(this.loop.close(SLOW)).isTrue();
        assertThat(this.loop.close(CloseStatus.GOING_AWAY)).isFalse();
        assertThatIllegalStateException().isThrownBy(() -> this.loop.offer("late", 4));
        this.scheduler.runAll();
        assertThat(this.endpoint.calls).containsExactly("close 1013");
        assertThat(this.loop.bufferedAmount()).isZero();
    }

    @Test
    void afterTheContainerClosedNothingIsWrittenAndSendsAreRefused() {
        this.loop.offer("a", 1);
        this.loop.terminate();
        this.scheduler.runAll();
        assertThat(this.endpoint.calls).isEmpty();
        assertThat(this.loop.close(SLOW)).isFalse();
        assertThatIllegalStateException().isThrownBy(() -> this.loop.offer("b", 1));
        assertThat(this.loop.bufferedAmount()).isZero();
    }

    @Test
    void bufferedAmountCountsQueuedInFlightAndUnflushedBytesExactlyAtEveryStep() {
        this.endpoint.completes = FakeEndpoint.Completes.LATER;
        List<Long> amounts = new ArrayList<>();
        this.loop.offer("a", 100);
        amounts.add(this.loop.bufferedAmount());
        this.loop.offer("b", 100);
        this.loop.offer("c", 100);
        amounts.add(this.loop.bufferedAmount());
        this.scheduler.runAll();
        amounts.add(this.loop.bufferedAmount());
        this.endpoint.completeNext(null);
        amounts.add(this.loop.bufferedAmount());
        this.scheduler.runAll();
        this.endpoint.completeNext(null);
        amounts.add(this.loop.bufferedAmount());
        this.scheduler.runAll();
        this.endpoint.completeNext(null);
        amounts.add(this.loop.bufferedAmount());
        this.scheduler.runAll();
        amounts.add(this.loop.bufferedAmount());
        // queued a; a b c queued; a in flight; a unflushed (100 <= 150); a+b unflushed capped at 150, so 50 of them
        // are known written; a+b+c capped at 150; the flush releases the rest.
        assertThat(amounts).containsExactly(100L, 300L, 300L, 300L, 250L, 150L, 0L);
        assertThat(this.endpoint.calls).last().isEqualTo("endBatch");
    }

    @Test
    void bufferedAmountDropsToZeroWhenACloseIsAccepted() {
        this.endpoint.completes = FakeEndpoint.Completes.LATER;
        this.loop.offer("a", 100);
        this.loop.offer("b", 100);
        this.scheduler.runAll();
        this.loop.close(SLOW);
        assertThat(this.loop.bufferedAmount()).isZero();
        this.endpoint.completeNext(null);
        this.scheduler.runAll();
        assertThat(this.loop.bufferedAmount()).isZero();
    }

    @Test
    void failedSendIsReportedReleasesItsBytesAndTheLoopGoesOn() {
        this.endpoint.completes = FakeEndpoint.Completes.LATER;
        this.loop.offer("a", 100);
        this.loop.offer("b", 100);
        this.scheduler.runAll();
        IOException failure = new IOException("broken pipe");
        this.endpoint.completeNext(failure);
        assertThat(this.failures).containsExactly(failure);
        assertThat(this.loop.bufferedAmount()).isEqualTo(100);
        this.scheduler.runAll();
        this.endpoint.completeNext(null);
        this.scheduler.runAll();
        assertThat(this.endpoint.calls).containsExactly("beginBatch", "send a", "send b", "endBatch");
        assertThat(this.loop.bufferedAmount()).isZero();
    }

    @Test
    void failedFlushIsReported() {
        IOException failure = new IOException("timed out");
        this.endpoint.endBatchFailure = failure;
        this.loop.offer("a", 100);
        this.loop.offer("b", 100);
        this.scheduler.runAll();
        assertThat(this.failures).containsExactly(failure);
    }

    @Test
    void runThatWroteItsQuantumEndsItsBatchAndGoesBackToTheEndOfTheReadyQueue() {
        SendLoop fair = new SendLoop(this.endpoint, this.scheduler, this.clock, this.failures::add, 250);
        for (String text : List.of("a", "b", "c", "d", "e")) {
            fair.offer(text, 100);
        }
        assertThat(this.scheduler.runNext()).isTrue();
        assertThat(this.endpoint.calls).containsExactly("beginBatch", "send a", "send b", "send c", "endBatch");
        assertThat(fair.state()).isEqualTo(SendLoop.State.SCHEDULED);
        assertThat(this.scheduler.scheduledCount()).isEqualTo(2);
        assertThat(fair.bufferedAmount()).isEqualTo(200);
        this.scheduler.runAll();
        assertThat(this.endpoint.calls).containsExactly("beginBatch", "send a", "send b", "send c", "endBatch",
                "beginBatch", "send d", "send e", "endBatch");
        assertThat(fair.state()).isEqualTo(SendLoop.State.IDLE);
        assertThat(fair.bufferedAmount()).isZero();
    }

    @Test
    void backlogsOfSeveralLoopsDrainRoundRobinQuantumByQuantum() {
        List<String> written = new CopyOnWriteArrayList<>();
        FakeEndpoint first = new FakeEndpoint(150);
        FakeEndpoint second = new FakeEndpoint(150);
        first.hook = (call) -> written.add("1 " + call);
        second.hook = (call) -> written.add("2 " + call);
        SendLoop one = new SendLoop(first, this.scheduler, this.clock, this.failures::add, 200);
        SendLoop two = new SendLoop(second, this.scheduler, this.clock, this.failures::add, 200);
        for (String text : List.of("a", "b", "c", "d")) {
            one.offer(text, 100);
            two.offer(text, 100);
        }
        this.scheduler.runAll();
        assertThat(written).containsExactly("1 beginBatch", "1 send a", "1 send b", "1 endBatch",
                "2 beginBatch", "2 send a", "2 send b", "2 endBatch",
                "1 beginBatch", "1 send c", "1 send d", "1 endBatch",
                "2 beginBatch", "2 send c", "2 send d", "2 endBatch");
        assertThat(one.bufferedAmount() + two.bufferedAmount()).isZero();
    }

    @Test
    void closeQueuedBehindAYieldedRunIsWrittenOnTheLoopsNextTurn() {
        SendLoop fair = new SendLoop(this.endpoint, this.scheduler, this.clock, this.failures::add, 100);
        fair.offer("a", 100);
        fair.offer("b", 100);
        this.scheduler.runNext();
        assertThat(fair.state()).isEqualTo(SendLoop.State.SCHEDULED);
        assertThat(fair.close(SLOW)).isTrue();
        this.scheduler.runAll();
        assertThat(this.endpoint.calls).containsExactly("beginBatch", "send a", "endBatch", "close 1013");
        assertThat(fair.state()).isEqualTo(SendLoop.State.CLOSED);
        assertThat(this.scheduler.scheduledCount()).isEqualTo(2);
    }

    @Test
    void concurrentPublishersKeepTheOrderOfEachPublisher() throws InterruptedException {
        int publishers = 4;
        int perPublisher = 2_000;
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < publishers; p++) {
            String prefix = "p" + p + "-";
            threads.add(new Thread(() -> {
                for (int i = 0; i < perPublisher; i++) {
                    this.loop.offer(prefix + i, 1);
                    if (i % 64 == 0) {
                        this.scheduler.runAll();
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
        this.scheduler.runAll();
        assertThat(this.endpoint.texts).hasSize(publishers * perPublisher);
        for (int p = 0; p < publishers; p++) {
            String prefix = "p" + p + "-";
            List<String> own = this.endpoint.texts.stream().filter((text) -> text.startsWith(prefix)).toList();
            assertThat(own).as(prefix).hasSize(perPublisher);
            for (int i = 0; i < perPublisher; i++) {
                assertThat(own.get(i)).isEqualTo(prefix + i);
            }
        }
        assertThat(this.loop.bufferedAmount()).isZero();
    }
}
