package dev.fanout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.fanout.HubStatistics.CloseCode;
import dev.fanout.HubStatistics.IgnoredReason;
import dev.fanout.testing.InMemoryRawSocket;
import dev.fanout.testing.ManualTimeSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class HubStatisticsTests {

    private final WebSocketServerEventTarget hub = WebSocketServerEventTarget.create();

    private final HubStatistics statistics = this.hub.statistics();

    @Test
    void aNewHubHasAllCountersAtZero() {
        assertThat(this.statistics.eventsDispatched()).isZero();
        assertThat(this.statistics.eventsDelivered()).isZero();
        assertThat(this.statistics.eventsReceived()).isZero();
        assertThat(this.statistics.subscriptionsDenied()).isZero();
        for (IgnoredReason reason : IgnoredReason.values()) {
            assertThat(this.statistics.inboundIgnored(reason)).isZero();
        }
        for (CloseCode code : CloseCode.values()) {
            assertThat(this.statistics.spokesClosed(code)).isZero();
        }
        assertThat(this.statistics.topicPrefixes()).isEmpty();
    }

    @Test
    void eachDispatchCountsOnceAsDispatchedAndOncePerSubscriberReachedAsDelivered() {
        connect("alice", "news");
        connect("bob", "news", "weather");
        connect("carol", "weather");

        this.hub.dispatchEvent(Event.of("news"));
        this.hub.dispatchEvent(Event.of("weather"));
        this.hub.dispatchEvent(Event.of("nobody-listens"));

        assertThat(this.statistics.eventsDispatched()).isEqualTo(3);
        assertThat(this.statistics.eventsDelivered()).isEqualTo(4);
    }

    @Test
    void aSubscriberClosedForBackpressureInsteadOfSentToIsNotCountedAsDelivered() {
        connect("alice", "news");
        InMemoryRawSocket slow = connect("slow", "news");
        slow.setBufferedAmount(WebSocketServerOptions.DEFAULT_BACKPRESSURE_THRESHOLD + 1);

        this.hub.dispatchEvent(Event.of("news"));

        assertThat(this.statistics.eventsDelivered()).isEqualTo(1);
        assertThat(this.statistics.spokesClosed(CloseCode.SLOW_CONSUMER)).isEqualTo(1);
    }

    @Test
    void aDirectMessageToOneSpokeIsNeitherDispatchedNorDelivered() {
        SpokeEventTarget spoke = this.hub.addConnection(new InMemoryRawSocket("alice"));

        spoke.dispatchEvent(Event.of("direct"));

        assertThat(this.statistics.eventsDispatched()).isZero();
        assertThat(this.statistics.eventsDelivered()).isZero();
    }

    @Test
    void applicationEventsFromSpokesCountAsReceivedButControlEventsDoNot() {
        InMemoryRawSocket alice = connect("alice", "news");

        alice.receiveText(Frames.event("chat", "hello"));
        alice.receiveBinary(Frames.utf8(Frames.event("chat", "again")));
        alice.receiveText(Frames.unsubscribe("news"));

        assertThat(this.statistics.eventsReceived()).isEqualTo(2);
    }

    @Test
    void ignoredInboundMessagesAreCountedByReason() {
        InMemoryRawSocket alice = connect("alice");

        alice.receiveText("{not json");
        alice.receiveText("[1,2]");
        alice.receiveText("{\"payload\":1}");
        alice.receiveText("{\"type\":\"chat\",\"id\":7}");
        alice.receiveText(Frames.event("", "empty type"));
        alice.receiveText(Frames.control("__nonsense", "news"));
        alice.receiveText(Frames.subscribe(42));
        alice.receiveText(Frames.subscribe(""));

        assertThat(this.statistics.inboundIgnored(IgnoredReason.MALFORMED_JSON)).isEqualTo(1);
        assertThat(this.statistics.inboundIgnored(IgnoredReason.NOT_AN_EVENT)).isEqualTo(3);
        assertThat(this.statistics.inboundIgnored(IgnoredReason.INVALID_TYPE)).isEqualTo(1);
        assertThat(this.statistics.inboundIgnored(IgnoredReason.UNKNOWN_CONTROL)).isEqualTo(1);
        assertThat(this.statistics.inboundIgnored(IgnoredReason.INVALID_TOPIC)).isEqualTo(2);
        assertThat(this.statistics.eventsReceived()).isZero();
    }

    @Test
    void subscriptionsOverTheLimitAreCountedAsDenied() {
        WebSocketServerEventTarget limited = WebSocketServerEventTarget.create(WebSocketServerOptions.builder()
            .maxSubscriptionsPerConnection(2)
            .build());
        InMemoryRawSocket alice = new InMemoryRawSocket("alice");
        limited.addConnection(alice);

        for (String topic : List.of("a", "b", "c", "d", "a")) {
            alice.receiveText(Frames.subscribe(topic));
        }

        assertThat(limited.statistics().subscriptionsDenied()).isEqualTo(2);
        assertThat(limited.statistics().activeSubscriptions()).isEqualTo(2);
    }

    @Test
    void subscriptionsTheAuthorizerDeniesAreCountedAsDenied() {
        WebSocketServerEventTarget guarded = WebSocketServerEventTarget.create(WebSocketServerOptions.builder()
            .subscriptionAuthorizer(SubscriptionAuthorizer.allowingWhen((spoke, topic) -> topic.startsWith("public.")))
            .build());
        InMemoryRawSocket alice = new InMemoryRawSocket("alice");
        guarded.addConnection(alice);

        alice.receiveText(Frames.subscribe("public.news"));
        alice.receiveText(Frames.subscribe("secret.plans"));

        assertThat(guarded.statistics().subscriptionsDenied()).isEqualTo(1);
        assertThat(guarded.subscriberCount("public.news")).isEqualTo(1);
    }

    @Test
    void messagesDroppedOverTheInboundRateLimitAreCountedAsIgnoredAndTheCloseAs1008() {
        ManualTimeSource time = new ManualTimeSource();
        WebSocketServerEventTarget limited = WebSocketServerEventTarget.create(WebSocketServerOptions.builder()
            .inboundRateLimit(InboundRateLimit.of(1, 2, Duration.ofSeconds(5)))
            .timeSource(time)
            .build());
        InMemoryRawSocket flooder = new InMemoryRawSocket("flooder");
        limited.addConnection(flooder);

        for (int i = 0; i < 5; i++) {
            flooder.receiveText(Frames.event("chat", i));
        }

        assertThat(limited.statistics().eventsReceived()).isEqualTo(2);
        assertThat(limited.statistics().inboundIgnored(IgnoredReason.RATE_LIMITED)).isEqualTo(3);
        assertThat(limited.droppedInboundMessageCount()).isEqualTo(3);
        for (int second = 0; second < 20 && flooder.isOpen(); second++) {
            time.advance(Duration.ofSeconds(1));
            for (int i = 0; i < 5 && flooder.isOpen(); i++) {
                flooder.receiveText(Frames.event("chat", "still flooding"));
            }
        }
        assertThat(flooder.isOpen()).isFalse();
        assertThat(limited.statistics().inboundIgnored(IgnoredReason.RATE_LIMITED))
            .isEqualTo(limited.droppedInboundMessageCount());
        assertThat(limited.statistics().spokesClosed(CloseCode.POLICY_VIOLATION)).isEqualTo(1);
    }

    @Test
    void closesAreCountedOncePerConnectionByTheClassOfTheirCode() {
        connect("normal").closeFromPeer(1000, "bye");
        connect("away").closeFromPeer(1001, "navigating away");
        connect("dropped").closeFromPeer(1006, "");
        connect("odd").closeFromPeer(4321, "application code");
        InMemoryRawSocket failing = connect("failing", "news");
        failing.failSendsWith(new IllegalStateException("broken pipe"));
        this.hub.dispatchEvent(Event.of("news"));
        InMemoryRawSocket removed = connect("removed");
        this.hub.removeConnection(removed);
        removed.closeFromPeer(1000, "after removal");

        assertThat(this.statistics.spokesClosed(CloseCode.NORMAL)).isEqualTo(1);
        assertThat(this.statistics.spokesClosed(CloseCode.GOING_AWAY)).isEqualTo(1);
        assertThat(this.statistics.spokesClosed(CloseCode.ABNORMAL)).isEqualTo(1);
        assertThat(this.statistics.spokesClosed(CloseCode.OTHER)).isEqualTo(1);
        assertThat(this.statistics.spokesClosed(CloseCode.INTERNAL_ERROR)).isEqualTo(1);
        assertThat(this.statistics.activeSpokes()).isZero();
    }

    @Test
    void closeCodesOutsideTheFixedSetFallIntoOther() {
        assertThat(CloseCode.of(1013)).isEqualTo(CloseCode.SLOW_CONSUMER);
        assertThat(CloseCode.of(1002)).isEqualTo(CloseCode.OTHER);
        assertThat(CloseCode.of(0)).isEqualTo(CloseCode.OTHER);
        assertThat(CloseCode.SLOW_CONSUMER.tagValue()).isEqualTo("1013");
        assertThat(CloseCode.OTHER.tagValue()).isEqualTo("other");
        assertThat(IgnoredReason.MALFORMED_JSON.tagValue()).isEqualTo("malformed_json");
    }

    @Test
    void gaugesShowTheSpokesTopicsSubscriptionsAndBufferedBytesOfNow() {
        InMemoryRawSocket alice = connect("alice", "news", "weather");
        InMemoryRawSocket bob = connect("bob", "news");
        alice.setBufferedAmount(100);
        bob.setBufferedAmount(23);

        assertThat(this.statistics.activeSpokes()).isEqualTo(2);
        assertThat(this.statistics.activeTopics()).isEqualTo(2);
        assertThat(this.statistics.activeSubscriptions()).isEqualTo(3);
        assertThat(this.statistics.bufferedBytes()).isEqualTo(123);

        alice.closeFromPeer(1000, "bye");

        assertThat(this.statistics.activeSpokes()).isEqualTo(1);
        assertThat(this.statistics.activeTopics()).isEqualTo(1);
        assertThat(this.statistics.activeSubscriptions()).isEqualTo(1);
        assertThat(this.statistics.bufferedBytes()).isEqualTo(23);
    }

    @Test
    void withTopicPrefixesEventsCountUnderTheLongestMatchingPrefixOrOther() {
        WebSocketServerEventTarget prefixed = WebSocketServerEventTarget.create(WebSocketServerOptions.builder()
            .statisticsTopicPrefixes(List.of("prices.", "prices.fx.", "chat"))
            .build());
        InMemoryRawSocket alice = new InMemoryRawSocket("alice");
        prefixed.addConnection(alice);
        for (String topic : List.of("prices.ACME", "prices.fx.EURUSD", "news")) {
            alice.receiveText(Frames.subscribe(topic));
        }

        prefixed.dispatchEvent(Event.of("prices.ACME"));
        prefixed.dispatchEvent(Event.of("prices.fx.EURUSD"));
        prefixed.dispatchEvent(Event.of("prices.fx.EURUSD"));
        prefixed.dispatchEvent(Event.of("news"));
        prefixed.dispatchEvent(Event.of("unheard"));
        alice.receiveText(Frames.event("chat", "hi"));

        HubStatistics figures = prefixed.statistics();
        assertThat(figures.topicPrefixes()).containsExactly("prices.", "prices.fx.", "chat", "other");
        assertThat(figures.eventsDispatched("prices.")).isEqualTo(1);
        assertThat(figures.eventsDispatched("prices.fx.")).isEqualTo(2);
        assertThat(figures.eventsDispatched("other")).isEqualTo(2);
        assertThat(figures.eventsDelivered("other")).isEqualTo(1);
        assertThat(figures.eventsReceived("chat")).isEqualTo(1);
        assertThat(figures.eventsDispatched("not-configured")).isZero();
        assertThat(figures.eventsDispatched()).isEqualTo(5);
        assertThat(figures.eventsDelivered()).isEqualTo(4);
    }

    @Test
    void topicPrefixesAreBoundedAndMustBeDistinctNonEmptyAndNotOther() {
        WebSocketServerOptions.Builder builder = WebSocketServerOptions.builder();
        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i <= WebSocketServerOptions.MAX_STATISTICS_TOPIC_PREFIXES; i++) {
            tooMany.add("p" + i + ".");
        }

        assertThatIllegalArgumentException().isThrownBy(() -> builder.statisticsTopicPrefixes(tooMany))
            .withMessageContaining("at most 64");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.statisticsTopicPrefixes(List.of("a", "a")));
        assertThatIllegalArgumentException().isThrownBy(() -> builder.statisticsTopicPrefixes(List.of("")));
        assertThatIllegalArgumentException().isThrownBy(() -> builder.statisticsTopicPrefixes(List.of("other")));
    }

    @Test
    void countersAreExactUnderConcurrentDispatchesFromManyThreads() throws Exception {
        connect("alice", "news");
        connect("bob", "news");
        int threads = 4;
        int perThread = 5_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        this.hub.dispatchEvent(Event.of("news", i));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get(30, TimeUnit.SECONDS);
            }
        }
        finally {
            pool.shutdownNow();
        }

        assertThat(this.statistics.eventsDispatched()).isEqualTo((long) threads * perThread);
        assertThat(this.statistics.eventsDelivered()).isEqualTo(2L * threads * perThread);
    }

    @Test
    void subscriberCountLooksUpOneTopic() {
        connect("alice", "news");
        connect("bob", "news", "weather");

        assertThat(this.hub.subscriberCount("news")).isEqualTo(2);
        assertThat(this.hub.subscriberCount("weather")).isEqualTo(1);
        assertThat(this.hub.subscriberCount("nothing")).isZero();
    }

    private InMemoryRawSocket connect(String name, String... topics) {
        InMemoryRawSocket socket = new InMemoryRawSocket(name);
        this.hub.addConnection(socket);
        for (String topic : topics) {
            socket.receiveText(Frames.subscribe(topic));
        }
        return socket;
    }
}
