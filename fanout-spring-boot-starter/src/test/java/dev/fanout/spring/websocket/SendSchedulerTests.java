package dev.fanout.spring.websocket;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SendSchedulerTests {

    private static final Duration STUCK_AFTER = Duration.ofMillis(2);

    private final ManualClock clock = new ManualClock();

    private final List<Runnable> started = new CopyOnWriteArrayList<>();

    private final List<Thread> drainerThreads = new CopyOnWriteArrayList<>();

    private final CountDownLatch unblock = new CountDownLatch(1);

    @AfterEach
    void releaseBlockedDrainers() {
        this.unblock.countDown();
    }

    @Test
    void manyReadyLoopsShareOneDrainerStartedByTheFirstSchedule() {
        Executor collecting = this.started::add;
        SendScheduler scheduler = new SendScheduler(collecting, this.clock, STUCK_AFTER.toNanos(), 1, () -> {
        });
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
        SendScheduler scheduler = new SendScheduler(collecting, this.clock, STUCK_AFTER.toNanos(), 2, () -> {
        });
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
        SendScheduler scheduler = new SendScheduler(collecting, this.clock, STUCK_AFTER.toNanos(), 1, () -> {
        });
        SendLoop loop = new SendLoop(new FakeEndpoint(), scheduler, this.clock, (failure) -> {
        });
        loop.offer("a", 1);
        this.started.get(0).run();
        loop.offer("b", 1);
        assertThat(this.started).hasSize(2);
    }

    @Test
    void drainerStuckInABlockingWriteIsReplacedSoThatOtherSocketsAreStillWritten() {
        SendScheduler scheduler = new SendScheduler(this::startOnANewThread, this.clock, STUCK_AFTER.toNanos(), 1,
                () -> {
                });
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
    void releasedDrainerThatBlocksAgainInTheSameRunIsNotCountedOutTwiceSoLaterWorkStillGetsADrainer() {
        SendScheduler scheduler = new SendScheduler(this::startOnANewThread, this.clock, STUCK_AFTER.toNanos(), 1,
                () -> {
                });
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
