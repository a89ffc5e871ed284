package dev.fanout.spring.websocket;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SendSchedulerTests {

    private static final Duration STUCK_AFTER = Duration.ofMillis(2);

    private static final Duration STUCK_AFTER_RUNNING = Duration.ofMillis(50);

    private final ManualClock clock = new ManualClock();

    private final List<Runnable> started = new CopyOnWriteArrayList<>();

    private final List<Thread> drainerThreads = new CopyOnWriteArrayList<>();

    private final CountDownLatch unblock = new CountDownLatch(1);

    /** What the drainers' probe answers for every drainer. */
    private volatile boolean drainersWait = true;

    @AfterEach
    void releaseBlockedDrainers() {
        this.unblock.countDown();
    }

    @Test
    void manyReadyLoopsShareOneDrainerStartedByTheFirstSchedule() {
        Executor collecting = this.started::add;
        SendScheduler scheduler = scheduler(collecting, 1);
        List<FakeEndpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            FakeEndpoint endpoint = new FakeEndpoint();
            endpoints.add(endpoint);
            new SendLoop(endpoint, scheduler, this.clock, (failure) -> {
            }).offer("m" + i, 2);
        }
        assertThat(this.started).hasSize(1);
        assertThat(endpoints).allSatisfy((endpoint) -> assertThat(endpoint.calls).isEmpty());
        this.started.get(0).run();
        assertThat(endpoints).allSatisfy(
                (endpoint) -> assertThat(endpoint.calls).containsExactly("write " + endpoint.texts.get(0)));
        assertThat(scheduler.drainerCount()).isZero();
    }

    @Test
    void drainerThatSeesMoreLoopsWaitingStartsHelpersUpToTheLimitOfAwakeDrainers() {
        Executor collecting = this.started::add;
        SendScheduler scheduler = scheduler(collecting, 2);
        for (int i = 0; i < 10; i++) {
            new SendLoop(new FakeEndpoint(), scheduler, this.clock, (failure) -> {
            }).offer("m" + i, 2);
        }
        assertThat(this.started).hasSize(1);
        this.started.get(0).run();
        assertThat(this.started).hasSize(2);
        this.started.get(1).run();
        assertThat(this.started).hasSize(2);
        assertThat(scheduler.drainerCount()).isZero();
    }

    @Test
    void drainerThatFoundTheQueueEmptyIsStartedAgainByTheNextSchedule() {
        Executor collecting = this.started::add;
        SendScheduler scheduler = scheduler(collecting, 1);
        SendLoop loop = new SendLoop(new FakeEndpoint(), scheduler, this.clock, (failure) -> {
        });
        loop.offer("a", 1);
        this.started.get(0).run();
        loop.offer("b", 1);
        assertThat(this.started).hasSize(2);
    }

    @Test
    void drainerWaitingInABlockingWritePastTheLimitIsReplacedSoThatOtherSocketsAreStillWritten() {
        SendScheduler scheduler = scheduler(this::startOnANewThread, 1);
        FakeEndpoint stalled = new FakeEndpoint();
        CountDownLatch inFlush = new CountDownLatch(1);
        stalled.hook = (call) -> {
            if (call.startsWith("write")) {
                inFlush.countDown();
                awaitQuietly(this.unblock);
            }
        };
        FakeEndpoint healthy = new FakeEndpoint();
        SendLoop stalledLoop = new SendLoop(stalled, scheduler, this.clock, (failure) -> {
        });
        SendLoop healthyLoop = new SendLoop(healthy, scheduler, this.clock, (failure) -> {
        });
        stalledLoop.offer("to the stalled one", 1);
        awaitQuietly(inFlush);
        healthyLoop.offer("to the healthy one", 1);
        assertThat(scheduler.releaseStuck(this.clock.getAsLong())).isTrue();
        assertThat(this.drainerThreads).hasSize(1);
        this.clock.advance(STUCK_AFTER.plusNanos(1));
        scheduler.releaseStuck(this.clock.getAsLong());
        assertThat(this.drainerThreads).hasSize(2);
        await().atMost(Duration.ofSeconds(10))
            .untilAsserted(() -> assertThat(healthy.calls).containsExactly("write to the healthy one"));
        assertThat(healthy.threads).containsExactly(this.drainerThreads.get(1));
        this.unblock.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> scheduler.drainerCount() == 0);
    }

    @Test
    void drainerThatIsRunnableInsideAWritePastTheLimitIsNotReplacedUntilItWaits() {
        this.drainersWait = false;
        SendScheduler scheduler = scheduler(this::startOnANewThread, 1);
        FakeEndpoint healthy = healthyOneWaitingBehindADrainerInAWrite(scheduler);
        this.clock.advance(STUCK_AFTER.multipliedBy(10));
        scheduler.releaseStuck(this.clock.getAsLong());
        assertThat(this.drainerThreads).hasSize(1);
        assertThat(healthy.calls).isEmpty();
        this.drainersWait = true;
        scheduler.releaseStuck(this.clock.getAsLong());
        assertThat(this.drainerThreads).hasSize(2);
        await().atMost(Duration.ofSeconds(10))
            .untilAsserted(() -> assertThat(healthy.calls).containsExactly("write to the healthy one"));
    }

    @Test
    void drainerInsideOneWriteLongerThanTheRunningLimitIsReplacedEvenWhenRunnable() {
        this.drainersWait = false;
        SendScheduler scheduler = scheduler(this::startOnANewThread, 1);
        FakeEndpoint healthy = healthyOneWaitingBehindADrainerInAWrite(scheduler);
        this.clock.advance(STUCK_AFTER_RUNNING);
        scheduler.releaseStuck(this.clock.getAsLong());
        assertThat(this.drainerThreads).hasSize(1);
        this.clock.advance(Duration.ofNanos(1));
        scheduler.releaseStuck(this.clock.getAsLong());
        assertThat(this.drainerThreads).hasSize(2);
        await().atMost(Duration.ofSeconds(10))
            .untilAsserted(() -> assertThat(healthy.calls).containsExactly("write to the healthy one"));
    }

    @Test
    void replacedDrainerFinishesItsOwnLoopAndEndsWithoutTakingMoreLoops() {
        SendScheduler scheduler = scheduler(this::startOnANewThread, 1);
        CountDownLatch inStalledWrite = new CountDownLatch(1);
        CountDownLatch unblockStalled = new CountDownLatch(1);
        FakeEndpoint stalled = blockingInWrite("write first", inStalledWrite, unblockStalled);
        SendLoop stalledLoop = loop(stalled, scheduler);
        stalledLoop.offer("first", 1);
        awaitQuietly(inStalledWrite);
        stalledLoop.offer("second", 1);
        CountDownLatch inReplacementsWrite = new CountDownLatch(1);
        FakeEndpoint slow = blockingInWrite("write to the slow one", inReplacementsWrite, this.unblock);
        loop(slow, scheduler).offer("to the slow one", 1);
        this.clock.advance(STUCK_AFTER.plusNanos(1));
        scheduler.releaseStuck(this.clock.getAsLong());
        awaitQuietly(inReplacementsWrite);
        FakeEndpoint waiting = new FakeEndpoint();
        loop(waiting, scheduler).offer("waiting", 1);
        unblockStalled.countDown();
        Thread replaced = this.drainerThreads.get(0);
        await().atMost(Duration.ofSeconds(10)).until(() -> !replaced.isAlive());
        assertThat(stalled.calls).containsExactly("write first", "write second");
        assertThat(stalled.threads).containsExactly(replaced);
        assertThat(waiting.calls).isEmpty();
        this.unblock.countDown();
        await().atMost(Duration.ofSeconds(10))
            .untilAsserted(() -> assertThat(waiting.calls).containsExactly("write waiting"));
        assertThat(waiting.threads).containsExactly(this.drainerThreads.get(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> scheduler.drainerCount() == 0);
    }

    @Test
    void manyPublishersAndContainerThreadCompletionsGetEveryMessageWrittenOnceInOrderAndNoLoopLeftWithoutADrainer()
            throws InterruptedException {
        publishConcurrently(false);
    }

    @Test
    void manyPublishersAndContainerThreadCompletionsWhileTheMonitorReleasesDrainersAtRandomGetEveryMessageWrittenOnceInOrder()
            throws InterruptedException {
        publishConcurrently(true);
    }

    /**
     * Four publishers offer 200 messages to each of their ten loops while two drainers write them; half the
     * endpoints complete their sends on a container thread, which schedules the loop again. Without the monitor
     * ({@code releasing} false) nothing rescues a loop left on the queue without a drainer, so the scheduler's
     * re-check after a drainer gives up its place is what keeps this run from stranding loops (without it, it strands
     * some within a few thousand offers); with the monitor, it releases drainers inside writes at random throughout.
     */
    private void publishConcurrently(boolean releasing) throws InterruptedException {
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            StuckDrainerRule rule = new StuckDrainerRule(STUCK_AFTER.toNanos(), STUCK_AFTER_RUNNING.toNanos(),
                    (thread) -> ThreadLocalRandom.current().nextBoolean());
            SendScheduler scheduler = new SendScheduler(pool, this.clock, rule, 2, () -> {
            });
            int publishers = 4;
            int loopsPerPublisher = 10;
            int messagesPerLoop = 200;
            List<FakeEndpoint> endpoints = new ArrayList<>();
            List<SendLoop> loops = new ArrayList<>();
            List<FakeEndpoint> completingLater = new ArrayList<>();
            for (int i = 0; i < publishers * loopsPerPublisher; i++) {
                FakeEndpoint endpoint = new FakeEndpoint();
                endpoint.hook = (call) -> Thread.yield();
                if (i % 2 == 1) {
                    endpoint.completes = FakeEndpoint.Completes.LATER;
                    completingLater.add(endpoint);
                }
                endpoints.add(endpoint);
                loops.add(loop(endpoint, scheduler));
            }
            AtomicBoolean publishing = new AtomicBoolean(true);
            Thread container = new Thread(() -> {
                while (publishing.get()) {
                    for (FakeEndpoint endpoint : completingLater) {
                        if (endpoint.pendingSends() > 0) {
                            endpoint.completeNext(null);
                        }
                    }
                    Thread.yield();
                }
            }, "container");
            container.start();
            Thread monitor = new Thread(() -> {
                while (publishing.get() || scheduler.drainerCount() > 0) {
                    this.clock.advance(STUCK_AFTER.plusNanos(1));
                    scheduler.releaseStuck(this.clock.getAsLong());
                    Thread.yield();
                }
            }, "monitor");
            if (releasing) {
                monitor.start();
            }
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < publishers; p++) {
                List<SendLoop> own = loops.subList(p * loopsPerPublisher, (p + 1) * loopsPerPublisher);
                Thread publisher = new Thread(() -> {
                    for (int m = 0; m < messagesPerLoop; m++) {
                        for (SendLoop loop : own) {
                            loop.offer("m" + m, 1);
                            Thread.onSpinWait();
                        }
                    }
                }, "publisher-" + p);
                threads.add(publisher);
                publisher.start();
            }
            for (Thread publisher : threads) {
                publisher.join();
            }
            List<String> expected = new ArrayList<>();
            for (int m = 0; m < messagesPerLoop; m++) {
                expected.add("m" + m);
            }
            await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(endpoints)
                    .allSatisfy((endpoint) -> assertThat(endpoint.texts).hasSize(messagesPerLoop)));
            assertThat(endpoints).allSatisfy((endpoint) -> assertThat(endpoint.texts).isEqualTo(expected));
            publishing.set(false);
            if (releasing) {
                monitor.join();
            }
            container.join();
            FakeEndpoint later = new FakeEndpoint();
            loop(later, scheduler).offer("later", 1);
            await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(later.calls).containsExactly("write later"));
        }
        finally {
            pool.shutdownNow();
        }
    }

    @Test
    void releasedDrainerThatBlocksAgainInTheSameRunIsNotCountedOutTwiceSoLaterWorkStillGetsADrainer() {
        SendScheduler scheduler = scheduler(this::startOnANewThread, 1);
        FakeEndpoint slow = new FakeEndpoint();
        CountDownLatch inFirstWrite = new CountDownLatch(1);
        slow.hook = (call) -> {
            if (call.equals("write first")) {
                inFirstWrite.countDown();
                awaitQuietly(this.unblock);
            }
            else if (call.equals("endBatch")) {
                this.clock.advance(STUCK_AFTER.plusNanos(1));
                scheduler.releaseStuck(this.clock.getAsLong());
            }
        };
        SendLoop slowLoop = new SendLoop(slow, scheduler, this.clock, (failure) -> {
        });
        slowLoop.offer("first", 1);
        awaitQuietly(inFirstWrite);
        slowLoop.offer("second", 1);
        slowLoop.offer("third", 1);
        this.clock.advance(STUCK_AFTER.plusNanos(1));
        scheduler.releaseStuck(this.clock.getAsLong());
        this.unblock.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> scheduler.drainerCount() == 0);
        assertThat(slow.calls).containsExactly("write first", "beginBatch", "send second", "send third", "endBatch");
        FakeEndpoint later = new FakeEndpoint();
        new SendLoop(later, scheduler, this.clock, (failure) -> {
        }).offer("later", 1);
        await().atMost(Duration.ofSeconds(10))
            .untilAsserted(() -> assertThat(later.calls).containsExactly("write later"));
    }

    /**
     * Makes the scheduler's one drainer enter a write to a slow endpoint that returns only when the test ends, then
     * queues a message to a healthy one behind it.
     *
     * @return the healthy endpoint
     */
    private FakeEndpoint healthyOneWaitingBehindADrainerInAWrite(SendScheduler scheduler) {
        CountDownLatch inWrite = new CountDownLatch(1);
        loop(blockingInWrite("write to the slow one", inWrite, this.unblock), scheduler).offer("to the slow one", 1);
        awaitQuietly(inWrite);
        FakeEndpoint healthy = new FakeEndpoint();
        loop(healthy, scheduler).offer("to the healthy one", 1);
        return healthy;
    }

    private SendLoop loop(FakeEndpoint endpoint, SendScheduler scheduler) {
        return new SendLoop(endpoint, scheduler, this.clock, (failure) -> {
        });
    }

    /** An endpoint whose call {@code blockingCall} counts {@code entered} down and then waits for {@code exit}. */
    private static FakeEndpoint blockingInWrite(String blockingCall, CountDownLatch entered, CountDownLatch exit) {
        FakeEndpoint endpoint = new FakeEndpoint();
        endpoint.hook = (call) -> {
            if (call.equals(blockingCall)) {
                entered.countDown();
                awaitQuietly(exit);
            }
        };
        return endpoint;
    }

    private SendScheduler scheduler(Executor executor, int maxAwake) {
        StuckDrainerRule rule = new StuckDrainerRule(STUCK_AFTER.toNanos(), STUCK_AFTER_RUNNING.toNanos(),
                (thread) -> this.drainersWait);
        return new SendScheduler(executor, this.clock, rule, maxAwake, () -> {
        });
    }

    private void startOnANewThread(Runnable drainer) {
        Thread thread = new Thread(drainer, "drainer-" + this.drainerThreads.size());
        this.drainerThreads.add(thread);
        thread.start();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
