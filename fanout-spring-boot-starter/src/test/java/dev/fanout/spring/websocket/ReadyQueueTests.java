package dev.fanout.spring.websocket;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.awaitility.Awaitility.await;

class ReadyQueueTests {

    private final ReadyQueue<Integer> queue = new ReadyQueue<>();

    @Test
    void newQueueIsEmptyAndPollsNull() {
        assertThat(this.queue.isEmpty()).isTrue();
        assertThat(this.queue.poll()).isNull();
    }

    @Test
    void elementsComeOutInTheOrderTheyWereOfferedAcrossChunks() {
        int count = 3 * ReadyQueue.CHUNK_SIZE + 5;
        for (int i = 0; i < count; i++) {
            this.queue.offer(i);
        }
        List<Integer> polled = new ArrayList<>();
        while (!this.queue.isEmpty()) {
            polled.add(this.queue.poll());
        }
        assertThat(polled).hasSize(count);
        for (int i = 0; i < count; i++) {
            assertThat(polled.get(i)).isEqualTo(i);
        }
        assertThat(this.queue.poll()).isNull();
    }

    @Test
    void queueDrainedAtAChunkBoundaryTakesNewElementsInTheNextChunk() {
        for (int i = 0; i < ReadyQueue.CHUNK_SIZE; i++) {
            this.queue.offer(i);
        }
        for (int i = 0; i < ReadyQueue.CHUNK_SIZE; i++) {
            assertThat(this.queue.poll()).isEqualTo(i);
        }
        assertThat(this.queue.isEmpty()).isTrue();
        assertThat(this.queue.poll()).isNull();
        this.queue.offer(-1);
        assertThat(this.queue.isEmpty()).isFalse();
        assertThat(this.queue.poll()).isEqualTo(-1);
        assertThat(this.queue.isEmpty()).isTrue();
    }

    @Test
    void nullIsRejected() {
        ReadyQueue<Object> objects = new ReadyQueue<>();
        assertThatNullPointerException().isThrownBy(() -> objects.offer(null));
        assertThat(objects.isEmpty()).isTrue();
    }

    @Test
    void takenElementIsNotKeptAliveByTheChunkStillInUse() {
        ReadyQueue<Object> objects = new ReadyQueue<>();
        Object element = new Object();
        WeakReference<Object> reference = new WeakReference<>(element);
        objects.offer(element);
        assertThat(objects.poll()).isSameAs(element);
        element = null;
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            System.gc();
            return reference.get() == null;
        });
        assertThat(objects.isEmpty()).isTrue();
    }

    @Test
    void manyProducersAndTwoConsumersTakeEveryElementExactlyOnceInEachProducersOrder()
            throws InterruptedException {
        int producers = 4;
        int perProducer = 20_000;
        int total = producers * perProducer;
        AtomicInteger taken = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int first = p * perProducer;
            threads.add(new Thread(() -> {
                awaitQuietly(start);
                for (int i = 0; i < perProducer; i++) {
                    this.queue.offer(first + i);
                }
            }, "producer-" + p));
        }
        List<List<Integer>> seen = List.of(new ArrayList<>(), new ArrayList<>());
        for (List<Integer> consumed : seen) {
            threads.add(new Thread(() -> {
                awaitQuietly(start);
                while (taken.get() < total) {
                    Integer element = this.queue.poll();
                    if (element != null) {
                        consumed.add(element);
                        taken.incrementAndGet();
                    }
                    else {
                        Thread.onSpinWait();
                    }
                }
            }, "consumer"));
        }
        threads.forEach(Thread::start);
        start.countDown();
        for (Thread thread : threads) {
            thread.join(Duration.ofSeconds(60).toMillis());
            assertThat(thread.isAlive()).as("%s finished", thread.getName()).isFalse();
        }
        BitSet all = new BitSet(total);
        for (List<Integer> consumed : seen) {
            int[] lastPerProducer = new int[producers];
            Arrays.fill(lastPerProducer, -1);
            for (int element : consumed) {
                assertThat(all.get(element)).as("%d taken twice", element).isFalse();
                all.set(element);
                int producer = element / perProducer;
                assertThat(element).as("order of producer %d", producer).isGreaterThan(lastPerProducer[producer]);
                lastPerProducer[producer] = element;
            }
        }
        assertThat(all.cardinality()).isEqualTo(total);
        assertThat(this.queue.isEmpty()).isTrue();
        assertThat(this.queue.poll()).isNull();
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
