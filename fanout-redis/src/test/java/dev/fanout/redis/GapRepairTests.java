package dev.fanout.redis;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import dev.fanout.HistoryEntry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link GapRepair} without Redis: a fake reader whose reads the test completes, on this thread or another, and a
 * manual clock.
 */
class GapRepairTests {

    private static final String TOPIC = "chat";

    private final Set<String> localTopics = ConcurrentHashMap.newKeySet();

    private final List<Long> delivered = new CopyOnWriteArrayList<>();

    private final List<Read> reads = new CopyOnWriteArrayList<>();

    private final AtomicLong nanos = new AtomicLong();

    private final GapRepair repair = repair(100, 1000);

    GapRepairTests() {
        this.localTopics.add(TOPIC);
    }

    @Test
    void consecutiveOffsetsAreDeliveredAtOnceWithoutAnyRead() {
        arrive(1, 2, 3);

        assertThat(this.delivered).containsExactly(1L, 2L, 3L);
        assertThat(this.reads).isEmpty();
    }

    @Test
    void aGapIsReadFromTheStreamAndDeliveredInOffsetOrderBeforeTheHeldBackLiveEvents() {
        arrive(1, 2, 5);
        assertThat(this.repair.stateOf(TOPIC)).isEqualTo(GapRepair.State.FILLING);
        arrive(6);

        assertThat(this.delivered).containsExactly(1L, 2L);
        assertThat(onlyRead().afterOffset).isEqualTo(2);
        onlyRead().complete(range("e", 6, 3, 6));
        arrive(7);

        assertThat(this.delivered).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(this.repair.stateOf(TOPIC)).isEqualTo(GapRepair.State.LIVE);
        assertThat(this.repair.repaired()).isEqualTo(1);
        assertThat(this.repair.recovered()).isEqualTo(2);
        assertThat(this.repair.lost()).isZero();
    }

    @Test
    void aLiveEventAlreadyDeliveredFromTheStreamIsDroppedAsADuplicateWithoutARead() {
        arrive(1, 3);
        onlyRead().complete(range("e", 5, 2, 5));
        arrive(4, 5, 6);

        assertThat(this.delivered).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(this.reads).hasSize(1);
    }

    @Test
    void anOffsetPubSubBroughtAgainIsCheckedWithAReadAndDroppedWhenTheEpochIsTheSame() {
        this.repair.observed(TOPIC, "e", 0);
        arrive(1, 2, 2);
        assertThat(onlyRead().afterOffset).isEqualTo(2);
        arrive(3);
        onlyRead().complete(range("e", 2, 3, 2));

        assertThat(this.delivered).containsExactly(1L, 2L, 3L);
        assertThat(this.repair.lost()).isZero();
    }

    @Test
    void aGapWhoseReadFailsDeliversTheHeldBackEventsInOffsetOrderAndCountsTheMissingOnesAsLost() {
        arrive(1, 5, 7, 6);
        onlyRead().fail();
        arrive(8);

        assertThat(this.delivered).containsExactly(1L, 5L, 6L, 7L, 8L);
        assertThat(this.repair.lost()).isEqualTo(3);
        assertThat(this.repair.repaired()).isZero();
        assertThat(this.repair.stateOf(TOPIC)).isEqualTo(GapRepair.State.LIVE);
    }

    @Test
    void lostEventsAreLoggedAtWarnAtMostOncePerTenSecondsOfTheClock() {
        try (LogRecorder log = new LogRecorder(RedisHistoryStore.class)) {
            arrive(1, 3);
            this.reads.get(0).fail();
            arrive(5);
            this.reads.get(1).fail();
            assertThat(log.warnings()).hasSize(1);

            this.nanos.addAndGet(Duration.ofSeconds(10).toNanos());
            arrive(7);
            this.reads.get(2).fail();

            assertThat(log.warnings()).hasSize(2);
            assertThat(log.warnings().get(0)).contains("'chat'").contains("1 lost");
            assertThat(this.repair.lost()).isEqualTo(3);
        }
    }

    @Test
    void entriesTrimmedFromTheStreamAreCountedAsLostAndTheRestIsDeliveredInOrder() {
        arrive(1, 10);
        onlyRead().complete(range("e", 10, 8, 10));

        assertThat(this.delivered).containsExactly(1L, 8L, 9L, 10L);
        assertThat(this.repair.lost()).isEqualTo(6);
        assertThat(this.repair.recovered()).isEqualTo(2);
    }

    @Test
    void aStreamThatLostEverythingAfterTheLastOffsetCountsTheWholeGapAsLost() {
        arrive(1, 2);
        this.repair.resubscribed(TOPIC);
        onlyRead().complete(range("e", 9, 0, -1));
        arrive(10);

        assertThat(this.delivered).containsExactly(1L, 2L, 10L);
        assertThat(this.repair.lost()).isEqualTo(7);
    }

    @Test
    void beyondTheHoldBackLimitTheHeldBackEventsAreDeliveredInOrderAndTheLateReadChangesNothing() {
        GapRepair bounded = repair(3, 1000);
        for (long offset : new long[] { 1, 5, 6, 7, 8 }) {
            bounded.delivered(TOPIC, offset, frame(offset));
        }

        assertThat(this.delivered).containsExactly(1L, 5L, 6L, 7L, 8L);
        assertThat(bounded.lost()).isEqualTo(3);
        assertThat(bounded.stateOf(TOPIC)).isEqualTo(GapRepair.State.LIVE);
        onlyRead().complete(range("e", 8, 2, 8));
        bounded.delivered(TOPIC, 9, frame(9));

        assertThat(this.delivered).containsExactly(1L, 5L, 6L, 7L, 8L, 9L);
        assertThat(bounded.recovered()).isZero();
    }

    @Test
    void aNewEpochResetsTheLastOffsetSoTheNewEpochIsDeliveredFromItsStartAndNothingOfTheOldOneIsRead() {
        this.repair.observed(TOPIC, "old", 0);
        arrive(1, 2, 3);
        arrive(2);
        this.reads.get(0).complete(range("new", 2, 0, -1));

        assertThat(this.reads).hasSize(2);
        assertThat(this.reads.get(1).afterOffset).isZero();
        this.reads.get(1).complete(range("new", 2, 1, 2));
        arrive(3);

        assertThat(this.delivered).containsExactly(1L, 2L, 3L, 1L, 2L, 3L);
        assertThat(this.repair.lost()).isZero();
    }

    @Test
    void aTopicReleasedWhileItsGapIsReadForgetsItAndTheReadDeliversNothing() {
        arrive(1, 3);
        this.localTopics.remove(TOPIC);
        this.repair.release(TOPIC);

        assertThat(this.repair.stateOf(TOPIC)).isNull();
        onlyRead().complete(range("e", 3, 2, 3));
        assertThat(this.delivered).containsExactly(1L);
        assertThat(this.repair.trackedTopics()).isEmpty();

        this.localTopics.add(TOPIC);
        arrive(9, 10);
        assertThat(this.delivered).containsExactly(1L, 9L, 10L);
        assertThat(this.reads).hasSize(1);
    }

    @Test
    void aReadOfTheHubCompletesAtOnceWhenThisNodeDeliveredItsLatestOffset() {
        arrive(1, 2, 3);

        assertThat(this.repair.observed(TOPIC, "e", 3).toCompletableFuture()).isCompleted();
        assertThat(this.repair.observed(TOPIC, "e", 2).toCompletableFuture()).isCompleted();
        assertThat(this.reads).isEmpty();
    }

    @Test
    void aReadOfTheHubThatSawEventsThisNodeHasNotDeliveredCompletesOnceAFillDeliveredThem() {
        arrive(1, 2);

        CompletableFuture<Void> caughtUp = this.repair.observed(TOPIC, "e", 4).toCompletableFuture();
        assertThat(caughtUp).isNotDone();
        assertThat(onlyRead().afterOffset).isEqualTo(2);
        arrive(3);
        assertThat(caughtUp).isNotDone();
        onlyRead().complete(range("e", 4, 3, 4));

        assertThat(caughtUp).isCompleted();
        assertThat(this.delivered).containsExactly(1L, 2L, 3L, 4L);
        arrive(4, 5);
        assertThat(this.delivered).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void aReadOfTheHubWhileAGapIsFilledCompletesWhenTheFillDeliversItsLatestOffsetAndAnotherReadFollows() {
        arrive(1, 4);
        CompletableFuture<Void> caughtUp = this.repair.observed(TOPIC, "e", 5).toCompletableFuture();
        arrive(5);
        assertThat(caughtUp).isNotDone();

        this.reads.get(0).complete(range("e", 5, 2, 5));

        assertThat(caughtUp).isCompleted();
        assertThat(this.delivered).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(this.reads).hasSize(2);
        assertThat(this.reads.get(1).afterOffset).isEqualTo(5);
    }

    @Test
    void aReadOfTheHubInANewEpochCompletesOnceThisNodeDeliveredThatEpochUpToIt() {
        this.repair.observed(TOPIC, "old", 0);
        arrive(1, 2);

        CompletableFuture<Void> caughtUp = this.repair.observed(TOPIC, "new", 1).toCompletableFuture();
        assertThat(caughtUp).isNotDone();
        this.reads.get(0).complete(range("new", 1, 1, 1));
        assertThat(caughtUp).isNotDone();
        this.reads.get(1).complete(range("new", 1, 1, 1));

        assertThat(caughtUp).isCompleted();
        assertThat(this.delivered).containsExactly(1L, 2L, 1L);
    }

    @Test
    void aReadOfTheHubInAnEpochThatAFillFindsReplacedCompletesAtOnceWhileTheNewEpochIsRead() {
        this.repair.observed(TOPIC, "gone", 0);
        arrive(1, 2);
        CompletableFuture<Void> caughtUp = this.repair.observed(TOPIC, "gone", 7).toCompletableFuture();

        onlyRead().complete(range("new", 1, 0, -1));

        assertThat(caughtUp).isCompleted();
        assertThat(this.reads).hasSize(2);
        assertThat(this.repair.stateOf(TOPIC)).isEqualTo(GapRepair.State.FILLING);
    }

    @Test
    void aReadOfTheHubWaitingForATopicThatLostItsLastLocalSubscriberCompletes() {
        arrive(1);
        CompletableFuture<Void> caughtUp = this.repair.observed(TOPIC, "e", 3).toCompletableFuture();

        this.localTopics.remove(TOPIC);
        this.repair.release(TOPIC);

        assertThat(caughtUp).isCompleted();
    }

    @Test
    void aReadOfTheHubCompletesOutsideTheTracksMonitorSoWhatTheHubDoesNextMayUseTheRepairFromAnotherThread() {
        arrive(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CompletableFuture<Void> next = this.repair.observed(TOPIC, "e", 2)
            .thenRun(() -> {
                try {
                    CompletableFuture.runAsync(() -> this.repair.stateOf(TOPIC)).get(10, TimeUnit.SECONDS);
                }
                catch (Exception ex) {
                    failure.set(ex);
                }
            })
            .toCompletableFuture();

        onlyRead().complete(range("e", 2, 2, 2));

        assertThat(next).isCompleted();
        assertThat(failure.get()).isNull();
    }

    @Test
    void aTopicWithoutLocalSubscribersKeepsNoStateAndIsDeliveredAsItArrives() {
        this.localTopics.remove(TOPIC);
        arrive(1, 4);

        assertThat(this.delivered).containsExactly(1L, 4L);
        assertThat(this.repair.trackedTopics()).isEmpty();
        assertThat(this.reads).isEmpty();
    }

    @Test
    void afterAResubscriptionTheEventsPublishedWhileDownAreReadEvenIfNoFurtherEventArrives() {
        arrive(1, 2);
        this.repair.resubscribed(TOPIC);

        assertThat(onlyRead().afterOffset).isEqualTo(2);
        onlyRead().complete(range("e", 5, 3, 5));
        assertThat(this.delivered).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(this.repair.repaired()).isEqualTo(1);
    }

    @Test
    void aResubscriptionWhileAGapIsReadReadsAgainOnceThatReadIsDone() {
        arrive(1, 3);
        this.repair.resubscribed(TOPIC);
        this.reads.get(0).complete(range("e", 3, 2, 3));

        assertThat(this.reads).hasSize(2);
        assertThat(this.reads.get(1).afterOffset).isEqualTo(3);
        this.reads.get(1).complete(range("e", 4, 4, 4));
        assertThat(this.delivered).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void aGapLargerThanOneReadBatchIsReadBatchByBatchAndHeldBackEventsWaitForTheirTurn() {
        GapRepair batched = repair(100, 2);
        batched.delivered(TOPIC, 1, frame(1));
        batched.delivered(TOPIC, 6, frame(6));
        this.reads.get(0).complete(range("e", 6, 2, 3));
        assertThat(this.delivered).containsExactly(1L, 2L, 3L);
        this.reads.get(1).complete(range("e", 6, 4, 5));
        assertThat(this.delivered).containsExactly(1L, 2L, 3L, 4L, 5L);
        this.reads.get(2).complete(range("e", 6, 6, 6));

        assertThat(this.reads).extracting((read) -> read.afterOffset).containsExactly(1L, 3L, 5L);
        assertThat(this.delivered).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(batched.lost()).isZero();
    }

    @Test
    void aLiveEventArrivingWhileTheReadCompletesOnAnotherThreadWaitsAndIsDeliveredAfterTheGap() throws Exception {
        CountDownLatch fillStarted = new CountDownLatch(1);
        CountDownLatch releaseFill = new CountDownLatch(1);
        GapRepair blocking = new GapRepair(this::read, (topic, offset, frame) -> {
            this.delivered.add(offset);
            if (offset == 2) {
                fillStarted.countDown();
                awaitQuietly(releaseFill);
            }
        }, this.localTopics::contains, 100, 1000, this.nanos::get);
        blocking.delivered(TOPIC, 1, frame(1));
        blocking.delivered(TOPIC, 3, frame(3));

        Thread completer = new Thread(() -> onlyRead().complete(range("e", 3, 2, 3)), "read-completion");
        completer.start();
        assertThat(fillStarted.await(30, TimeUnit.SECONDS)).isTrue();
        Thread pubSub = new Thread(() -> blocking.delivered(TOPIC, 4, frame(4)), "pub-sub");
        pubSub.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> pubSub.getState() == Thread.State.BLOCKED);
        releaseFill.countDown();
        completer.join();
        pubSub.join();

        assertThat(this.delivered).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void liveEventsArrivingConcurrentlyWithTheReadCompletionAreEachDeliveredOnceInOffsetOrder() throws Exception {
        for (int round = 0; round < 200; round++) {
            this.delivered.clear();
            this.reads.clear();
            GapRepair raced = repair(10_000, 1000);
            raced.delivered(TOPIC, 1, frame(1));
            raced.delivered(TOPIC, 50, frame(50));
            Thread completer = new Thread(() -> onlyRead().complete(range("e", 60, 2, 60)));
            Thread pubSub = new Thread(() -> LongStream.rangeClosed(51, 100)
                .forEach((offset) -> raced.delivered(TOPIC, offset, frame(offset))));
            completer.start();
            pubSub.start();
            completer.join();
            pubSub.join();

            assertThat(this.delivered).containsExactlyElementsOf(LongStream.rangeClosed(1, 100).boxed().toList());
        }
    }

    @Test
    void readsOfTheHubRacingLiveEventsAndTheFillsTheyStartCompleteOnlyOnceTheirLatestOffsetIsDelivered()
            throws Exception {
        ExecutorService redis = Executors.newSingleThreadExecutor();
        try {
            for (int round = 0; round < 200; round++) {
                this.delivered.clear();
                GapRepair raced = new GapRepair(
                        (topic, afterOffset, limit) -> CompletableFuture.supplyAsync(
                                () -> range("e", 100, afterOffset + 1, 100), redis),
                        (topic, offset, frame) -> this.delivered.add(offset), this.localTopics::contains, 10_000,
                        1000, this.nanos::get);
                raced.observed(TOPIC, "e", 0);
                List<Long> notYetDelivered = new CopyOnWriteArrayList<>();
                List<CompletableFuture<Void>> stages = new CopyOnWriteArrayList<>();
                Thread pubSub = new Thread(() -> LongStream.rangeClosed(1, 100)
                    .forEach((offset) -> raced.delivered(TOPIC, offset, frame(offset))), "pub-sub");
                Thread hub = new Thread(() -> LongStream.iterate(10, (latest) -> latest <= 100, (latest) -> latest + 10)
                    .forEach((latest) -> stages.add(raced.observed(TOPIC, "e", latest).thenRun(() -> {
                        if (!this.delivered.contains(latest)) {
                            notYetDelivered.add(latest);
                        }
                    }).toCompletableFuture())), "hub");
                pubSub.start();
                hub.start();
                pubSub.join();
                hub.join();

                CompletableFuture.allOf(stages.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
                assertThat(notYetDelivered).isEmpty();
                assertThat(this.delivered).containsExactlyElementsOf(LongStream.rangeClosed(1, 100).boxed().toList());
            }
        }
        finally {
            redis.shutdownNow();
        }
    }

    private GapRepair repair(int maxHeldBack, int readBatch) {
        return new GapRepair(this::read, (topic, offset, frame) -> this.delivered.add(offset),
                this.localTopics::contains, maxHeldBack, readBatch, this.nanos::get);
    }

    private CompletableFuture<GapRepair.Range> read(String topic, long afterOffset, int limit) {
        Read read = new Read(afterOffset);
        this.reads.add(read);
        return read.reply;
    }

    private Read onlyRead() {
        assertThat(this.reads).hasSize(1);
        return this.reads.get(0);
    }

    private void arrive(long... offsets) {
        for (long offset : offsets) {
            this.repair.delivered(TOPIC, offset, frame(offset));
        }
    }

    /** A read's reply: the epoch, the latest offset and the entries {@code first..last}. */
    private static GapRepair.Range range(String epoch, long latest, long first, long last) {
        List<HistoryEntry> entries = LongStream.rangeClosed(first, last)
            .mapToObj((offset) -> new HistoryEntry(offset, frame(offset)))
            .toList();
        return new GapRepair.Range(epoch, latest, entries);
    }

    private static String frame(long offset) {
        return "{\"type\":\"chat\",\"payload\":" + offset + ",\"offset\":" + offset + "}";
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** One read the repair asked for, completed by the test. */
    private static final class Read {

        final long afterOffset;

        final CompletableFuture<GapRepair.Range> reply = new CompletableFuture<>();

        Read(long afterOffset) {
            this.afterOffset = afterOffset;
        }

        void complete(GapRepair.Range range) {
            this.reply.complete(range);
        }

        void fail() {
            this.reply.completeExceptionally(new IllegalStateException("Redis is not reachable"));
        }
    }
}
