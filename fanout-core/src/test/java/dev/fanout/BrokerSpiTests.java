package dev.fanout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.fanout.testing.InMemoryRawSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hub's side of the {@link Broker} SPI, against a recording fake: what the hub hands the broker on dispatch and
 * on topic transitions, and what it does with what the broker delivers.
 */
class BrokerSpiTests {

    private final RecordingBroker broker = new RecordingBroker();

    private final List<BrokerState> stateChanges = new CopyOnWriteArrayList<>();

    private final WebSocketServerEventTarget hub = WebSocketServerEventTarget.create(WebSocketServerOptions.builder()
        .broker(this.broker)
        .onBrokerStateChange(this.stateChanges::add)
        .build());

    private final InMemoryRawSocket alice = new InMemoryRawSocket("alice");

    private final InMemoryRawSocket bob = new InMemoryRawSocket("bob");

    @Test
    void theHubAttachesItselfToItsBrokerOnce() {
        assertThat(this.broker.attachments()).isEqualTo(1);
    }

    @Test
    void aDispatchIsSentLocallyInTheDispatchingThreadAndPublishedOnceWithTheSameFrame() {
        connect(this.alice, "news");

        this.hub.dispatchEvent(Event.of("news", Map.of("headline", "hi")));

        String frame = "{\"type\":\"news\",\"payload\":{\"headline\":\"hi\"}}";
        assertThat(this.alice.sentMessages()).containsExactly(frame);
        assertThat(this.broker.published()).containsExactly(
                new RecordingBroker.Published("news", frame, Thread.currentThread().getName()));
        assertThat(this.broker.published().get(0).frame()).isSameAs(this.alice.sentMessages().get(0));
    }

    @Test
    void aDispatchWithoutLocalSubscribersIsStillPublished() {
        this.hub.dispatchEvent(Event.of("elsewhere", 1));

        assertThat(this.broker.published()).extracting(RecordingBroker.Published::topic).containsExactly("elsewhere");
    }

    @Test
    void theFirstLocalSubscriberOfATopicSubscribesTheBrokerAndTheLastOneLeavingUnsubscribesIt() {
        connect(this.alice, "news");
        connect(this.bob, "news");
        assertThat(this.broker.netSubscriptions("news")).isEqualTo(1);

        this.alice.receiveText(Frames.unsubscribe("news"));
        assertThat(this.broker.netSubscriptions("news")).isEqualTo(1);

        this.bob.closeFromPeer(1000, "bye");
        assertThat(this.broker.netSubscriptions("news")).isZero();
        assertThat(this.broker.node().hasLocalSubscribers("news")).isFalse();
    }

    @Test
    void theBrokerSeesTheLocalTopicsAndWhetherEachHasSubscribers() {
        connect(this.alice, "news", "weather");
        connect(this.bob, "weather");

        assertThat(this.broker.node().localTopics()).containsExactlyInAnyOrder("news", "weather");
        assertThat(this.broker.node().hasLocalSubscribers("news")).isTrue();
        assertThat(this.broker.node().hasLocalSubscribers("sport")).isFalse();
    }

    @Test
    void aFrameFromAnotherNodeReachesTheLocalSubscribersAsReceivedWithoutBeingParsedOrPublishedAgain() {
        connect(this.alice, "news");
        connect(this.bob, "weather");
        String remoteFrame = "{\"type\":\"news\",   \"payload\":  {\"kept\":\"as is\"} }";

        this.broker.node().deliver("news", remoteFrame);

        assertThat(this.alice.sentMessages()).containsExactly(remoteFrame);
        assertThat(this.alice.sentMessages().get(0)).isSameAs(remoteFrame);
        assertThat(this.bob.sentMessages()).isEmpty();
        assertThat(this.broker.published()).isEmpty();
    }

    @Test
    void directSendsToOneSpokeAndEventsFromSpokesToLocalListenersStayLocal() {
        List<Event> heard = new CopyOnWriteArrayList<>();
        this.hub.addEventListener("chat", heard::add);
        SpokeEventTarget spoke = connect(this.alice, "chat");

        spoke.dispatchEvent(Event.of("chat", "only for alice"));
        this.alice.receiveText(Frames.event("chat", "from alice"));

        assertThat(this.alice.sentMessages()).hasSize(1);
        assertThat(heard).hasSize(1);
        assertThat(this.broker.published()).isEmpty();
    }

    @Test
    void brokerStateChangesReachTheCallbackAndOneThatThrowsChangesNothingElse() {
        RecordingBroker throwingHubsBroker = new RecordingBroker();
        WebSocketServerEventTarget.create(WebSocketServerOptions.builder()
            .broker(throwingHubsBroker)
            .onBrokerStateChange((state) -> {
                throw new IllegalStateException("listener bug");
            })
            .build());

        this.broker.node().brokerStateChanged(BrokerState.DOWN);
        this.broker.node().brokerStateChanged(BrokerState.UP);
        throwingHubsBroker.node().brokerStateChanged(BrokerState.DOWN);
        throwingHubsBroker.node().brokerStateChanged(BrokerState.UP);

        assertThat(this.stateChanges).containsExactly(BrokerState.DOWN, BrokerState.UP);
    }

    @Test
    void theLocalBrokerIsTheDefaultAndConfirmsAtOnce() {
        assertThat(WebSocketServerOptions.ofDefaults().broker()).isSameAs(Broker.local());
        assertThat(Broker.local().subscribe("news").toCompletableFuture()).isCompleted();
        assertThat(Broker.local().state()).isEqualTo(BrokerState.UP);
    }

    @Test
    @Timeout(60)
    void underConcurrentChurnTheBrokerHearsExactlyOneNetSubscriptionPerTopicWithLocalSubscribers() throws Exception {
        List<String> topics = List.of("a", "b", "c", "d");
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> churners = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            churners.add(pool.submit(() -> {
                start.await();
                ThreadLocalRandom random = ThreadLocalRandom.current();
                List<InMemoryRawSocket> sockets = new ArrayList<>();
                for (int i = 0; i < 3_000; i++) {
                    String topic = topics.get(random.nextInt(topics.size()));
                    int move = random.nextInt(4);
                    if (move == 0 || sockets.isEmpty()) {
                        InMemoryRawSocket socket = new InMemoryRawSocket("churn-" + i);
                        this.hub.addConnection(socket);
                        sockets.add(socket);
                        socket.receiveText(Frames.subscribe(topic));
                    }
                    else if (move == 1) {
                        sockets.remove(random.nextInt(sockets.size())).closeFromPeer(1000, "bye");
                    }
                    else if (move == 2) {
                        sockets.get(random.nextInt(sockets.size())).receiveText(Frames.subscribe(topic));
                    }
                    else {
                        sockets.get(random.nextInt(sockets.size())).receiveText(Frames.unsubscribe(topic));
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> churner : churners) {
            churner.get();
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

        Map<String, Integer> counts = this.hub.topicSubscriberCounts();
        for (String topic : topics) {
            assertThat(this.broker.netSubscriptions(topic)).as(topic).isEqualTo(counts.containsKey(topic) ? 1 : 0);
        }
        assertThat(this.broker.node().localTopics()).isEqualTo(counts.keySet());
    }

    private SpokeEventTarget connect(InMemoryRawSocket socket, String... topics) {
        SpokeEventTarget spoke = this.hub.addConnection(socket);
        for (String topic : topics) {
            socket.receiveText(Frames.subscribe(topic));
        }
        return spoke;
    }
}
