package dev.fanout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.fanout.testing.InMemoryRawSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Flow control under contention, on the system time source: several spokes publish from their own threads at once,
 * relayed to subscribers whose buffered amount grows with every event they are sent and shrinks as a drainer thread
 * "writes" them. Bounded by work: each publisher sends a fixed number of events.
 */
class FlowControlContentionTests {

    private static final int PUBLISHERS = 4;

    private static final int EVENTS_PER_PUBLISHER = 400;

    private static final int SUBSCRIBERS = 3;

    private static final long EVENT_BYTES = 100;

    private static final long HIGH = 20 * EVENT_BYTES;

    private static final long LOW = 5 * EVENT_BYTES;

    private static final long THRESHOLD = 1_000 * EVENT_BYTES;

    private static final long STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final WebSocketServerEventTarget hub = WebSocketServerEventTarget.create(WebSocketServerOptions.builder()
        .backpressureThreshold(THRESHOLD)
        .flowControl(FlowControlOptions.of(HIGH, LOW)
            .withCheckInterval(Duration.ofMillis(1))
            .withDrainTimeout(Duration.ofMinutes(5)))
        .build());

    @Test
    @Timeout(120)
    void manyPublisherThreadsWithDrainingSubscribersAreEveryOneResumedAndNoEventIsLostOrReordered() throws Exception {
        this.hub.addSpokeEventListener("chat",
                (event, from) -> this.hub.dispatchEvent(Event.of("feed", event.payload())));
        List<InMemoryRawSocket> subscribers = new ArrayList<>();
        for (int i = 0; i < SUBSCRIBERS; i++) {
            InMemoryRawSocket subscriber = new InMemoryRawSocket("subscriber-" + i);
            this.hub.addConnection(subscriber);
            subscriber.receiveText(Frames.subscribe("feed"));
            subscribers.add(subscriber);
        }
        List<InMemoryRawSocket> publishers = new ArrayList<>();
        for (int p = 0; p < PUBLISHERS; p++) {
            InMemoryRawSocket publisher = InMemoryRawSocket.pausable("publisher-" + p);
            this.hub.addConnection(publisher);
            publishers.add(publisher);
        }
        AtomicBoolean publishing = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(PUBLISHERS + 1);
        try {
            Future<?> drainer = pool.submit(() -> drain(subscribers, publishing));
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> sent = new ArrayList<>();
            for (int p = 0; p < PUBLISHERS; p++) {
                InMemoryRawSocket publisher = publishers.get(p);
                int number = p;
                sent.add(pool.submit(() -> {
                    start.await();
                    for (int seq = 0; seq < EVENTS_PER_PUBLISHER; seq++) {
                        publisher.receiveText(Frames.event("chat", number + ":" + seq));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> result : sent) {
                result.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
            int total = PUBLISHERS * EVENTS_PER_PUBLISHER;
            await().atMost(WAIT)
                .failFast("a subscriber was closed",
                        () -> subscribers.stream().anyMatch((subscriber) -> !subscriber.isOpen()))
                .until(() -> subscribers.stream().allMatch((subscriber) -> FlowControlTests.payloads(subscriber).size() == total));
            publishing.set(false);
            drainer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> this.hub.statistics().pausedPublishers() == 0);
        }
        finally {
            pool.shutdownNow();
        }

        assertThat(this.hub.statistics().publisherPauses()).as("the publishers were paused").isPositive();
        for (InMemoryRawSocket publisher : publishers) {
            assertThat(publisher.isReadingPaused()).isFalse();
            assertThat(publisher.waitingMessageCount()).isZero();
        }
        for (InMemoryRawSocket subscriber : subscribers) {
            assertThat(subscriber.isOpen()).isTrue();
            List<String> received = FlowControlTests.payloads(subscriber);
            for (int p = 0; p < PUBLISHERS; p++) {
                String prefix = p + ":";
                List<String> fromPublisher = received.stream().filter((payload) -> payload.startsWith(prefix)).toList();
                assertThat(fromPublisher).hasSize(EVENTS_PER_PUBLISHER);
                for (int seq = 0; seq < EVENTS_PER_PUBLISHER; seq++) {
                    assertThat(fromPublisher.get(seq)).isEqualTo(prefix + seq);
                }
            }
        }
    }

    /**
     * Plays the network: each subscriber's buffered amount is what it was sent minus what was "written", and a few
     * events are written per step of about a millisecond, far slower than the publishers produce them; once they are
     * done, it writes what is left.
     */
    private static void drain(List<InMemoryRawSocket> subscribers, AtomicBoolean publishing) {
        long[] written = new long[subscribers.size()];
        boolean backlog = true;
        while (publishing.get() || backlog) {
            backlog = false;
            for (int i = 0; i < subscribers.size(); i++) {
                InMemoryRawSocket subscriber = subscribers.get(i);
                long sent = subscriber.sentMessages().size();
                written[i] = Math.min(sent, written[i] + 4);
                subscriber.setBufferedAmount((sent - written[i]) * EVENT_BYTES);
                backlog |= written[i] < sent;
            }
            LockSupport.parkNanos(STEP_NANOS);
        }
    }
}
