package dev.fanout.spring.websocket;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class DrainerProbeTests {

    private final DrainerProbe probe = DrainerProbe.THREAD_STATE;

    @Test
    void threadParkedWithoutATimeoutIsWaiting() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        Thread thread = start(() -> awaitQuietly(release));
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> thread.getState() == Thread.State.WAITING);
            assertThat(this.probe.isWaiting(thread)).isTrue();
        }
        finally {
            release.countDown();
            thread.join();
        }
    }

    @Test
    void threadWaitingWithATimeoutAsInABlockingWriteIsWaiting() throws InterruptedException {
        Object writeLock = new Object();
        AtomicBoolean writable = new AtomicBoolean();
        Thread thread = start(() -> {
            synchronized (writeLock) {
                while (!writable.get()) {
                    try {
                        writeLock.wait(10_000);
                    }
                    catch (InterruptedException ex) {
                        return;
                    }
                }
            }
        });
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> thread.getState() == Thread.State.TIMED_WAITING);
            assertThat(this.probe.isWaiting(thread)).isTrue();
        }
        finally {
            synchronized (writeLock) {
                writable.set(true);
                writeLock.notifyAll();
            }
            thread.join();
        }
    }

    @Test
    void threadBlockedOnAMonitorIsWaiting() throws InterruptedException {
        Object monitor = new Object();
        Thread thread;
        synchronized (monitor) {
            thread = start(() -> {
                synchronized (monitor) {
                    monitor.notifyAll();
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> thread.getState() == Thread.State.BLOCKED);
            assertThat(this.probe.isWaiting(thread)).isTrue();
        }
        thread.join();
    }

    @Test
    void runnableThreadIsNotWaitingWhetherOnACoreOrDescheduled() throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        Thread thread = start(() -> {
            while (!stop.get()) {
                Thread.onSpinWait();
            }
        });
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> thread.getState() == Thread.State.RUNNABLE);
            for (int sample = 0; sample < 10_000; sample++) {
                assertThat(this.probe.isWaiting(thread)).isFalse();
            }
        }
        finally {
            stop.set(true);
            thread.join();
        }
    }

    private static Thread start(Runnable task) {
        Thread thread = new Thread(task, "probed");
        thread.setDaemon(true);
        thread.start();
        return thread;
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
