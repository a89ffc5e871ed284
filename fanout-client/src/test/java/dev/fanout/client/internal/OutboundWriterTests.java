package dev.fanout.client.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.fanout.client.internal.FakeTransport.FakeChannel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The outbound queue and its one write in flight, over fake channels: order, at most once, stale completions.
 */
class OutboundWriterTests {

    private final Object guard = new Object();

    private final OutboundWriter writer = new OutboundWriter(this.guard, 3);

    private final List<String> closes = new CopyOnWriteArrayList<>();

    @Test
    void controlRequestsAreWrittenBeforeEventsQueuedEarlierAndEventsInTheirOrder() {
        this.writer.offerEvent("event 1");
        this.writer.offerEvent("event 2");
        this.writer.addControl("subscribe");
        FakeChannel channel = attachedChannel();

        this.writer.pump();

        assertThat(channel.written).containsExactly("subscribe", "event 1", "event 2");
        assertThat(this.writer.queuedEventCount()).isZero();
    }

    @Test
    void nothingIsWrittenWhileNoChannelIsAttached() {
        this.writer.offerEvent("event 1");

        this.writer.pump();

        assertThat(this.writer.queuedEventCount()).isOne();
    }

    @Test
    void onlyOneWriteIsInFlightAndTheNextStartsWhenItCompletes() {
        FakeChannel channel = attachedChannel();
        channel.holdWrites();
        this.writer.offerEvent("event 1");
        this.writer.offerEvent("event 2");

        this.writer.pump();
        this.writer.pump();
        assertThat(channel.written).containsExactly("event 1");

        channel.completeWrite();
        assertThat(channel.written).containsExactly("event 1", "event 2");
        channel.completeWrite();
        assertThat(channel.maxInFlight()).isOne();
    }

    @Test
    void afterADetachTheControlRequestsAreDroppedAndTheEventsWaitForTheNextChannel() {
        this.writer.addControl("subscribe on the old connection");
        this.writer.offerEvent("event 1");
        this.writer.detach();
        FakeChannel next = attachedChannel();

        this.writer.pump();

        assertThat(next.written).containsExactly("event 1");
    }

    @Test
    void aWriteThatCompletesAfterItsChannelWasDetachedIsNotWrittenAgainAndChangesNothing() {
        FakeChannel old = attachedChannel();
        old.holdWrites();
        this.writer.offerEvent("event 1");
        this.writer.offerEvent("event 2");
        this.writer.pump();
        this.writer.detach();
        FakeChannel next = attachedChannel();
        next.holdWrites();
        this.writer.pump();

        old.completeWrite();

        assertThat(old.written).containsExactly("event 1");
        assertThat(next.written).containsExactly("event 2");
        this.writer.offerEvent("event 3");
        this.writer.pump();
        assertThat(next.written).as("the new channel's write is still in flight").containsExactly("event 2");
        next.completeWrite();
        assertThat(next.written).containsExactly("event 2", "event 3");
    }

    @Test
    void aFailedWriteAbortsItsChannelAndIsNotWrittenAgain() {
        FakeChannel channel = attachedChannel();
        channel.holdWrites();
        this.writer.offerEvent("event 1");
        this.writer.offerEvent("event 2");
        this.writer.pump();

        channel.failWrite();

        assertThat(this.closes).containsExactly("1006 aborted");
        this.writer.detach();
        FakeChannel next = attachedChannel();
        this.writer.pump();
        assertThat(channel.written).containsExactly("event 1");
        assertThat(next.written).containsExactly("event 2");
    }

    @Test
    void beyondTheLimitEventsAreRejectedAndCountedWhileControlRequestsAreNotLimited() {
        List<Boolean> accepted = IntStream.range(0, 4).mapToObj((n) -> this.writer.offerEvent("event " + n)).toList();
        IntStream.range(0, 5).forEach((n) -> this.writer.addControl("control " + n));
        this.writer.rejectEvent();

        assertThat(accepted).containsExactly(true, true, true, false);
        assertThat(this.writer.queuedEventCount()).isEqualTo(3);
        assertThat(this.writer.rejectedEventCount()).isEqualTo(2);
        this.writer.clear();
        assertThat(this.writer.queuedEventCount()).isZero();
        FakeChannel channel = attachedChannel();
        this.writer.pump();
        assertThat(channel.written).isEmpty();
    }

    @Test
    void eventsQueuedAndPumpedFromManyThreadsOverWritesThatCompleteElsewhereAreWrittenOnceEachInThreadOrder()
            throws InterruptedException {
        int threads = 6;
        int perThread = 400;
        OutboundWriter contended = new OutboundWriter(this.guard, threads * perThread);
        ExecutorService network = Executors.newSingleThreadExecutor();
        List<String> written = new CopyOnWriteArrayList<>();
        List<Integer> inFlight = new CopyOnWriteArrayList<>();
        contended.attach(new Transport.Channel() {

            private int writing;

            @Override
            public CompletableFuture<?> send(String text) {
                synchronized (this) {
                    this.writing++;
                    inFlight.add(this.writing);
                }
                written.add(text);
                return CompletableFuture.runAsync(() -> {
                    synchronized (this) {
                        this.writing--;
                    }
                }, network);
            }

            @Override
            public void requestNext() {
            }

            @Override
            public void close(int code, String reason) {
            }

            @Override
            public void abort() {
            }
        });
        List<Thread> publishers = IntStream.range(0, threads)
            .mapToObj((t) -> new Thread(() -> IntStream.range(0, perThread).forEach((seq) -> {
                contended.offerEvent(t + ":" + seq);
                contended.pump();
            })))
            .toList();
        publishers.forEach(Thread::start);
        for (Thread publisher : publishers) {
            publisher.join();
        }

        await().until(() -> written.size() == threads * perThread);
        network.shutdown();
        for (int t = 0; t < threads; t++) {
            String prefix = t + ":";
            assertThat(written.stream().filter((message) -> message.startsWith(prefix)).toList())
                .containsExactlyElementsOf(IntStream.range(0, perThread).mapToObj((seq) -> prefix + seq).toList());
        }
        assertThat(inFlight).allMatch((writes) -> writes == 1);
    }

    private FakeChannel attachedChannel() {
        FakeChannel channel = new FakeChannel(new Transport.ChannelListener() {

            @Override
            public void onMessage(String text) {
            }

            @Override
            public void onClose(int code, String reason) {
                OutboundWriterTests.this.closes.add(code + " " + reason);
            }
        });
        this.writer.attach(channel);
        return channel;
    }
}
