package dev.fanout.client.internal;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.fanout.Event;
import dev.fanout.client.ConnectionState;
import dev.fanout.client.WebSocketClientOptions;
import dev.fanout.client.internal.FakeTransport.FakeChannel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The client under contention, with real threads: publishers dispatch while the hub keeps dropping the connection.
 * Every event is written exactly once, each publisher's in its order, across all the connections.
 */
class ReconnectingClientConcurrencyTests {

    private static final int PUBLISHERS = 6;

    private static final int PER_PUBLISHER = 500;

    private final FakeTransport transport = new FakeTransport(true);

    private final ExecutorService delivery = Executors.newSingleThreadExecutor();

    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);

    private final ReconnectingClient client = new ReconnectingClient(
            WebSocketClientOptions.builder(URI.create("ws://hub.test/fanout"))
                .reconnectDelay(Duration.ofMillis(1), Duration.ofMillis(2))
                .maxQueuedEvents(PUBLISHERS * PER_PUBLISHER)
                .build(),
            this.transport, new ExecutorScheduler(this.timer), this.delivery, new SplittableRandom(7), () -> {
            });

    @AfterEach
    void stop() {
        this.client.close();
        this.delivery.shutdownNow();
        this.timer.shutdownNow();
    }

    @Test
    void eventsDispatchedFromManyThreadsWhileTheConnectionKeepsDroppingAreWrittenOnceEachInThreadOrder()
            throws InterruptedException {
        this.client.start();
        await().until(() -> this.client.state() == ConnectionState.OPEN);
        List<Thread> publishers = IntStream.range(0, PUBLISHERS)
            .mapToObj((p) -> new Thread(() -> IntStream.range(0, PER_PUBLISHER)
                .forEach((seq) -> this.client.dispatchEvent(Event.of("chat", p + ":" + seq, null)))))
            .toList();
        publishers.forEach(Thread::start);
        int drops = 0;
        while (publishers.stream().anyMatch(Thread::isAlive) || drops < 5) {
            await().until(() -> this.client.state() == ConnectionState.OPEN);
            List<FakeChannel> channels = this.transport.channels();
            channels.get(channels.size() - 1).closeByHub(1001, "going away");
            drops++;
        }
        for (Thread publisher : publishers) {
            publisher.join();
        }
        await().until(() -> this.client.state() == ConnectionState.OPEN && this.client.queuedEventCount() == 0);

        List<String> written = new ArrayList<>();
        this.transport.channels().forEach((channel) -> written.addAll(channel.written));
        assertThat(written).hasSize(PUBLISHERS * PER_PUBLISHER);
        assertThat(new HashSet<>(written)).hasSize(PUBLISHERS * PER_PUBLISHER);
        for (int p = 0; p < PUBLISHERS; p++) {
            String prefix = "{\"type\":\"chat\",\"id\":\"" + p + ":";
            assertThat(written.stream().filter((message) -> message.startsWith(prefix)).toList())
                .containsExactlyElementsOf(IntStream.range(0, PER_PUBLISHER)
                    .mapToObj((seq) -> prefix + seq + "\"}")
                    .toList());
        }
        Set<Integer> maxInFlight = new HashSet<>();
        this.transport.channels().forEach((channel) -> maxInFlight.add(channel.maxInFlight()));
        assertThat(maxInFlight).allMatch((inFlight) -> inFlight <= 1);
        assertThat(this.transport.channels().size()).isGreaterThan(5);
        assertThat(this.client.rejectedEventCount()).isZero();
    }
}
