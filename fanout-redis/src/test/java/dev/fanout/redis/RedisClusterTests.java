package dev.fanout.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.annotation.JsonValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.fanout.BrokerState;
import dev.fanout.Event;
import dev.fanout.SpokeEventTarget;
import dev.fanout.redis.testing.RedisServer;
import dev.fanout.testing.InMemoryRawSocket;

import static dev.fanout.redis.ClusterNode.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hubs with in-memory spokes, clustered through {@link RedisBroker}s over a real {@code redis-server} that the tests
 * start, kill, pause and restart. One test per behaviour of issue 9.
 */
@Timeout(120)
class RedisClusterTests {

    private RedisServer redis;

    private final List<ClusterNode> nodes = new ArrayList<>();

    @BeforeEach
    void startRedis() {
        this.redis = RedisServer.start();
    }

    @AfterEach
    void stopEverything() {
        this.nodes.forEach(ClusterNode::close);
        if (this.redis != null) {
            this.redis.close();
        }
    }

    @Test
    void dispatchEventOnAnyNodeReachesEverySubscriberOfTheTopicOnEveryNodeExactlyOnce() {
        ClusterNode a = node();
        ClusterNode b = node();
        ClusterNode c = node();
        List<InMemoryRawSocket> subscribers = List.of(a.spoke("a1", "news"), a.spoke("a2", "news"),
                b.spoke("b1", "news"), c.spoke("c1", "news"));
        InMemoryRawSocket other = b.spoke("b-other", "weather");

        for (ClusterNode publisher : List.of(a, b, c)) {
            publisher.hub.dispatchEvent(Event.of("news", "from " + publisher.broker.nodeId()));
        }
        for (ClusterNode publisher : List.of(a, b, c)) {
            publisher.hub.dispatchEvent(Event.of("news", "end"));
        }

        String end = "{\"type\":\"news\",\"payload\":\"end\"}";
        await().atMost(WAIT).until(() -> subscribers.stream()
            .allMatch((spoke) -> spoke.sentMessages().stream().filter(end::equals).count() == 3));
        List<String> expected = new ArrayList<>(List.of(end, end, end));
        for (ClusterNode publisher : List.of(a, b, c)) {
            expected.add("{\"type\":\"news\",\"payload\":\"from " + publisher.broker.nodeId() + "\"}");
        }
        for (InMemoryRawSocket spoke : subscribers) {
            assertThat(spoke.sentMessages()).as(spoke.toString()).containsExactlyInAnyOrderElementsOf(expected);
        }
        assertThat(other.sentMessages()).isEmpty();
    }

    @Test
    void eventsDispatchedOneAfterAnotherFromOneThreadReachEverySubscriberOnEveryNodeInThatOrder() {
        ClusterNode a = node();
        ClusterNode b = node();
        InMemoryRawSocket local = a.spoke("local", "counter");
        InMemoryRawSocket remote = b.spoke("remote", "counter");
        int events = 2_000;

        for (int n = 0; n < events; n++) {
            a.hub.dispatchEvent(Event.of("counter", n));
        }

        await().atMost(WAIT).until(() -> remote.sentMessages().size() == events);
        List<String> expected = IntStream.range(0, events)
            .mapToObj((n) -> "{\"type\":\"counter\",\"payload\":" + n + "}")
            .toList();
        assertThat(local.sentMessages()).containsExactlyElementsOf(expected);
        assertThat(remote.sentMessages()).containsExactlyElementsOf(expected);
    }

    @Test
    void aFrameIsSerializedOnceClusterWideAndTheReceivingNodeSendsTheTextItReceivedFromRedis() {
        ClusterNode a = node();
        ClusterNode b = node();
        a.spoke("local", "quotes");
        InMemoryRawSocket remote = b.spoke("remote", "quotes");
        CountingPayload payload = new CountingPayload();

        a.hub.dispatchEvent(Event.of("quotes", payload));
        await().atMost(WAIT).until(() -> remote.sentMessages().size() == 1);
        assertThat(payload.serializations).hasValue(1);

        String unusualButValidFrame = "{ \"type\" : \"quotes\",\n \"payload\" : [ 1,2 ] }";
        this.redis.publish("fanout.t.quotes", "1|someothernode|" + unusualButValidFrame);
        await().atMost(WAIT).until(() -> remote.sentMessages().size() == 2);
        assertThat(remote.sentMessages().get(1)).isEqualTo(unusualButValidFrame);
    }

    @Test
    void aNodeIsSubscribedInRedisOnlyToTopicsThatHaveALocalSubscriber() {
        ClusterNode a = node();
        ClusterNode b = node();
        a.spoke("a1", "news", "weather");
        b.spoke("b1", "weather");
        a.hub.dispatchEvent(Event.of("nobody-subscribed", 1));

        await().atMost(WAIT).until(() -> this.redis.activeChannels("fanout.*"),
                (channels) -> channels.equals(Set.of("fanout.t.news", "fanout.t.weather")));
        assertThat(this.redis.subscribers("fanout.t.news")).isEqualTo(1);
        assertThat(this.redis.subscribers("fanout.t.weather")).isEqualTo(2);
    }

    @Test
    void topicsBecomingActiveTogetherGoOutInBatchedSubscribeCommands() {
        ClusterNode a = node(options().subscribeBatchSize(100));
        List<String> topics = IntStream.range(0, 450).mapToObj((n) -> "topic-" + n).toList();
        InMemoryRawSocket spoke = new InMemoryRawSocket("many");
        a.hub.addConnection(spoke);
        topics.forEach((topic) -> spoke.receiveText(subscribe(topic)));
        await().atMost(WAIT).until(() -> this.redis.activeChannels("fanout.*").size() == topics.size());

        this.redis.restart();
        a.awaitUp();

        await().atMost(WAIT).until(() -> this.redis.activeChannels("fanout.*").size() == topics.size());
        assertThat(subscribeCommandsSoFar()).isEqualTo(5);
    }

    @Test
    void theLastLocalSubscriberLeavingUnsubscribesAfterTheDelayReCheckingFirst() {
        ClusterNode a = node(options().unsubscribeDelay(Duration.ofMillis(300)));
        InMemoryRawSocket first = a.spoke("first", "news");
        InMemoryRawSocket probe = a.spoke("probe", "probe");
        first.receiveText(unsubscribe("news"));
        probe.receiveText(unsubscribe("probe"));
        InMemoryRawSocket second = a.spoke("second", "news");

        await().atMost(WAIT).until(() -> this.redis.subscribers("fanout.t.probe") == 0);
        assertThat(this.redis.subscribers("fanout.t.news")).isEqualTo(1);
        assertThat(unsubscribeCommandsSoFar()).isEqualTo(1);

        second.closeFromPeer(1000, "bye");
        await().atMost(WAIT).until(() -> this.redis.subscribers("fanout.t.news") == 0);
        assertThat(unsubscribeCommandsSoFar()).isEqualTo(2);
    }

    @Test
    void underConcurrentSubscribeAndUnsubscribeChurnTheNodeNeverMissesATopicAndOnceQuietHoldsExactlyItsLocalTopics()
            throws Exception {
        ClusterNode churned = node(options().unsubscribeDelay(Duration.ofMillis(5)));
        ClusterNode publisher = node();
        List<String> topics = IntStream.range(0, 12).mapToObj((n) -> "churn-" + n).toList();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        long checksBefore = churned.broker.delayedUnsubscribeChecks();
        List<Future<List<InMemoryRawSocket>>> churners = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            churners.add(pool.submit(() -> {
                start.await();
                ThreadLocalRandom random = ThreadLocalRandom.current();
                List<InMemoryRawSocket> sockets = new ArrayList<>();
                // Churns on until a delayed unsubscribe check has run during it, so checks and subscribes interleave.
                for (int i = 0; i < 1_500 || churned.broker.delayedUnsubscribeChecks() == checksBefore; i++) {
                    String topic = topics.get(random.nextInt(topics.size()));
                    // Past the planned steps it closes sockets, so that topics lose their last subscriber.
                    int move = (i < 1_500) ? random.nextInt(3) : 1;
                    if (move == 0 || sockets.isEmpty()) {
                        InMemoryRawSocket socket = new InMemoryRawSocket("churn-" + i);
                        churned.hub.addConnection(socket);
                        socket.receiveText(subscribe(topic));
                        sockets.add(socket);
                    }
                    else if (move == 1) {
                        sockets.remove(random.nextInt(sockets.size())).closeFromPeer(1000, "bye");
                    }
                    else {
                        sockets.get(random.nextInt(sockets.size())).receiveText(unsubscribe(topic));
                    }
                }
                return sockets;
            }));
        }
        start.countDown();
        List<InMemoryRawSocket> survivors = new ArrayList<>();
        for (Future<List<InMemoryRawSocket>> churner : churners) {
            survivors.addAll(churner.get());
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

        Set<String> localTopics = churned.hub.topicSubscriberCounts().keySet();
        Set<String> expectedChannels = localTopics.stream().map((topic) -> "fanout.t." + topic)
            .collect(Collectors.toSet());
        await().atMost(WAIT).until(() -> this.redis.activeChannels("fanout.*"), expectedChannels::equals);
        for (String channel : expectedChannels) {
            assertThat(this.redis.subscribers(channel)).as(channel).isEqualTo(1);
        }
        for (String topic : localTopics) {
            churned.broker.subscribe(topic).toCompletableFuture().join();
            publisher.hub.dispatchEvent(Event.of(topic, "after the churn"));
        }
        List<InMemoryRawSocket> stillSubscribed = survivors.stream()
            .filter((socket) -> socket.isOpen() && !subscriptionsOf(churned, socket).isEmpty())
            .toList();
        await().atMost(WAIT).until(() -> stillSubscribed.stream().allMatch((socket) -> socket.sentMessages()
            .stream()
            .filter((frame) -> frame.contains("after the churn"))
            .count() == subscriptionsOf(churned, socket).size()));
    }

    @Test
    void dispatchEventNeverBlocksOnRedisAndAPausedRedisDropsAndCountsWhatDoesNotFitTheBuffer() {
        ClusterNode a = node(options().outboundBufferSize(1_000));
        ClusterNode b = node();
        InMemoryRawSocket remote = b.spoke("remote", "ticks");
        for (int n = 0; n < 5_000; n++) {
            a.hub.dispatchEvent(Event.of("warm-up", n));
        }
        await().atMost(WAIT).until(a.broker::stats,
                (stats) -> stats.published() + stats.dropped() + stats.failed() == 5_000);
        int events = 50_000;
        String running = timingsOfDispatches(a, "running", events);

        this.redis.pause();
        String whilePaused;
        try {
            whilePaused = timingsOfDispatches(a, "ticks", events);
        }
        finally {
            this.redis.resume();
        }
        System.out.println("dispatchEvent while Redis runs:      " + running);
        System.out.println("dispatchEvent while Redis is paused: " + whilePaused);

        RedisBrokerStats paused = a.broker.stats();
        assertThat(paused.dropped()).isGreaterThanOrEqualTo(events - 1_000);
        await().atMost(WAIT).until(() -> a.broker.stats().published() + a.broker.stats().failed()
                + a.broker.stats().dropped() == 5_000 + 2 * events);
        a.hub.dispatchEvent(Event.of("ticks", "after the pause"));
        await().atMost(WAIT).until(() -> remote.sentMessages().contains("{\"type\":\"ticks\",\"payload\":\"after the pause\"}"));
        assertThat(remote.sentMessages()).hasSizeLessThanOrEqualTo(1_000 + 1);
    }

    @Test
    void whenRedisIsKilledTheNodeKeepsDeliveringLocallyTurnsDownOnceAndRecoversWithoutARestart() {
        try (LogRecorder log = new LogRecorder()) {
            ClusterNode a = node();
            ClusterNode b = node();
            InMemoryRawSocket local = a.spoke("local", "news");
            InMemoryRawSocket remote = b.spoke("remote", "news");

            this.redis.kill();
            await().atMost(WAIT).until(() -> a.broker.state() == BrokerState.DOWN);
            for (int n = 0; n < 100; n++) {
                a.hub.dispatchEvent(Event.of("news", "during the outage " + n));
            }
            assertThat(local.sentMessages()).hasSize(100);
            assertThat(a.states).containsExactly(BrokerState.UP, BrokerState.DOWN);
            assertThat(log.warnings()).filteredOn((line) -> line.contains("node " + a.broker.nodeId())).hasSize(1);

            this.redis.restart();
            a.awaitUp();
            b.awaitUp();
            await().atMost(WAIT).until(() -> this.redis.subscribers("fanout.t.news") == 2);
            a.hub.dispatchEvent(Event.of("news", "after the outage"));

            await().atMost(WAIT).until(() -> remote.sentMessages().contains(
                    "{\"type\":\"news\",\"payload\":\"after the outage\"}"));
            assertThat(a.states).containsExactly(BrokerState.UP, BrokerState.DOWN, BrokerState.UP);
            assertThat(remote.sentMessages()).noneMatch((frame) -> frame.contains("during the outage"));
        }
    }

    @Test
    void whenItsPubSubConnectionIsKilledTheNodeResubscribesFromItsRegistryAndCrossNodeDeliveryResumes() {
        ClusterNode a = node();
        ClusterNode b = node();
        b.spoke("remote-news", "news");
        InMemoryRawSocket remote = b.spoke("remote-sport", "sport");
        a.spoke("local", "news");

        assertThat(this.redis.killPubSubClients()).isEqualTo(2);

        await().atMost(WAIT).until(() -> b.states.size() == 3);
        assertThat(b.states).containsExactly(BrokerState.UP, BrokerState.DOWN, BrokerState.UP);
        await().atMost(WAIT).until(() -> this.redis.activeChannels("fanout.*"),
                (channels) -> channels.equals(Set.of("fanout.t.news", "fanout.t.sport")));
        assertThat(this.redis.subscribers("fanout.t.news")).isEqualTo(2);
        assertThat(this.redis.subscribers("fanout.t.sport")).isEqualTo(1);
        b.broker.subscribe("sport").toCompletableFuture().join();
        a.hub.dispatchEvent(Event.of("sport", "goal"));
        await().atMost(WAIT).until(() -> remote.sentMessages().equals(List.of("{\"type\":\"sport\",\"payload\":\"goal\"}")));
    }

    @Test
    void noSpokeEverReceivesOneDispatchTwiceWhetherItIsOnThePublishingNodeOrAnother() {
        ClusterNode a = node();
        ClusterNode b = node();
        InMemoryRawSocket local = a.spoke("local", "once");
        InMemoryRawSocket remote = b.spoke("remote", "once");

        for (int n = 0; n < 200; n++) {
            a.hub.dispatchEvent(Event.of("once", n));
        }
        b.hub.dispatchEvent(Event.of("once", "marker"));

        await().atMost(WAIT).until(() -> local.sentMessages().size() >= 201 && remote.sentMessages().size() >= 201);
        b.hub.dispatchEvent(Event.of("once", "second marker"));
        await().atMost(WAIT).until(() -> local.sentMessages().size() >= 202);
        assertThat(local.sentMessages()).hasSize(202).doesNotHaveDuplicates();
        assertThat(remote.sentMessages()).hasSize(202).doesNotHaveDuplicates();
    }

    @Test
    void theLagStatisticsOfTheReceivingNodeCountAFramePublishedOnAnotherNodeButNotVersion1Messages() {
        ClusterNode a = node();
        ClusterNode b = node();
        a.spoke("local", "lagged");
        InMemoryRawSocket remote = b.spoke("remote", "lagged");

        a.hub.dispatchEvent(Event.of("lagged", "measured"));
        await().atMost(WAIT).until(() -> b.broker.statistics().lagCount() == 1);
        this.redis.publish("fanout.t.lagged", "1|oldnode|{\"type\":\"lagged\",\"payload\":\"v1\"}");
        await().atMost(WAIT).until(() -> remote.sentMessages().size() == 2);

        assertThat(b.broker.statistics().lagCount()).isEqualTo(1);
        assertThat(b.broker.statistics().lagTotalNanos()).isBetween(0L, WAIT.toNanos());
        assertThat(b.broker.statistics().received()).isEqualTo(2);
        assertThat(a.broker.statistics().lagCount()).isZero();
    }

    @Test
    void aMessageOnOurChannelsThatIsNotAValidFrameIsIgnoredCountedAndLoggedRateLimited() {
        try (LogRecorder log = new LogRecorder()) {
            ClusterNode a = node();
            InMemoryRawSocket spoke = a.spoke("spoke", "news");

            List<String> garbage = List.of("hello", "", "1|", "1||{}", "1|UPPER|{}", "1|node|not json", "2|node|{}",
                    "1|node", "1|" + "x".repeat(40) + "|{}", "2|node||{}", "2|node|12x|{}", "\u0000\u0001\u001b[31m");
            for (String message : garbage) {
                this.redis.publish("fanout.t.news", message);
            }
            this.redis.publish("fanout.t.news", "1|othernode|{\"type\":\"news\",\"payload\":\"valid\"}");

            await().atMost(WAIT).until(() -> spoke.sentMessages().size() == 1);
            assertThat(spoke.sentMessages()).containsExactly("{\"type\":\"news\",\"payload\":\"valid\"}");
            assertThat(a.broker.stats().malformed()).isEqualTo(garbage.size());
            assertThat(log.warnings()).hasSize(1).allMatch((line) -> line.startsWith("Ignored a message on fanout.t.news"));
            assertThat(a.broker.state()).isEqualTo(BrokerState.UP);
        }
    }

    @Test
    void aNodeStartedWhileRedisIsUnreachableStartsDownAndJoinsTheClusterOnceRedisAnswers() {
        this.redis.kill();
        ClusterNode late = node();
        InMemoryRawSocket spoke = new InMemoryRawSocket("early");
        late.hub.addConnection(spoke);
        spoke.receiveText(subscribe("news"));

        await().atMost(WAIT).until(() -> late.states.contains(BrokerState.DOWN));
        assertThat(late.broker.state()).isEqualTo(BrokerState.DOWN);
        assertThat(late.broker.subscribe("news").toCompletableFuture()).isCompleted();
        late.hub.dispatchEvent(Event.of("news", "local only"));
        assertThat(spoke.sentMessages()).hasSize(1);

        this.redis.restart();
        late.awaitUp();
        ClusterNode other = node();
        await().atMost(WAIT).until(() -> this.redis.subscribers("fanout.t.news") == 1);
        late.broker.subscribe("news").toCompletableFuture().join();
        other.hub.dispatchEvent(Event.of("news", "from the cluster"));

        await().atMost(WAIT).until(() -> spoke.sentMessages().size() == 2);
        assertThat(late.states).containsExactly(BrokerState.DOWN, BrokerState.UP);
    }

    @Test
    void shuttingANodeDownUnsubscribesAndClosesItsRedisConnectionsAndLeavesNoThreadBehind() {
        int clientsBefore = this.redis.connectedClients();
        Set<Thread> threadsBefore = Thread.getAllStackTraces().keySet();
        ClusterNode a = ClusterNode.start(options().build()).awaitUp();
        a.spoke("spoke", "news", "weather");
        assertThat(this.redis.connectedClients()).isEqualTo(clientsBefore + 2);

        a.close();

        assertThat(this.redis.activeChannels("*")).isEmpty();
        await().atMost(WAIT).until(() -> this.redis.connectedClients() == clientsBefore);
        await().atMost(WAIT).until(() -> newThreadsSince(threadsBefore).isEmpty());
        assertThat(a.broker.stats().subscribedTopics()).isZero();
    }

    @Test
    void directSendsToOneSpokeAndEventsFromSpokesToLocalListenersStayLocal() {
        ClusterNode a = node();
        ClusterNode b = node();
        AtomicInteger heardOnB = new AtomicInteger();
        b.hub.addEventListener("chat", (event) -> heardOnB.incrementAndGet());
        InMemoryRawSocket remote = b.spoke("remote", "chat");
        InMemoryRawSocket local = a.spoke("local", "chat");
        SpokeEventTarget localSpoke = a.hub.connections().get(0);

        localSpoke.dispatchEvent(Event.of("chat", "direct"));
        local.receiveText("{\"type\":\"chat\",\"payload\":\"from a spoke\"}");
        a.hub.dispatchEvent(Event.of("chat", "marker"));

        await().atMost(WAIT).until(() -> remote.sentMessages().size() == 1);
        assertThat(remote.sentMessages()).containsExactly("{\"type\":\"chat\",\"payload\":\"marker\"}");
        assertThat(heardOnB).hasValue(0);
        assertThat(a.broker.stats().published()).isEqualTo(1);
    }

    /** Dispatches events and reports the percentiles of the time each dispatchEvent call took. */
    private static String timingsOfDispatches(ClusterNode node, String topic, int events) {
        long[] nanos = new long[events];
        for (int n = 0; n < events; n++) {
            long start = System.nanoTime();
            node.hub.dispatchEvent(Event.of(topic, n));
            nanos[n] = System.nanoTime() - start;
        }
        java.util.Arrays.sort(nanos);
        return String.format("%d calls, p50 %.1f µs, p99 %.1f µs, p99.9 %.1f µs, max %.2f ms", events,
                nanos[events / 2] / 1e3, nanos[events * 99 / 100] / 1e3, nanos[events * 999 / 1000] / 1e3,
                nanos[events - 1] / 1e6);
    }

    private ClusterNode node() {
        return node(options());
    }

    private ClusterNode node(RedisBrokerOptions.Builder options) {
        ClusterNode node = ClusterNode.start(options.build());
        this.nodes.add(node);
        if (this.redis.isRunning()) {
            node.awaitUp();
        }
        return node;
    }

    private RedisBrokerOptions.Builder options() {
        return ClusterNode.options(this.redis);
    }

    private long subscribeCommandsSoFar() {
        return commandCalls("subscribe");
    }

    private long unsubscribeCommandsSoFar() {
        return commandCalls("unsubscribe");
    }

    private long commandCalls(String command) {
        String info = (String) this.redis.command("INFO", "commandstats");
        return info.lines()
            .filter((line) -> line.startsWith("cmdstat_" + command + ":"))
            .map((line) -> line.substring(line.indexOf("calls=") + 6, line.indexOf(',', line.indexOf("calls="))))
            .mapToLong(Long::parseLong)
            .sum();
    }

    private static Set<String> subscriptionsOf(ClusterNode node, InMemoryRawSocket socket) {
        return node.hub.connections().stream()
            .filter((spoke) -> spoke.socket() == socket)
            .findFirst()
            .map(SpokeEventTarget::subscriptions)
            .orElse(Set.of());
    }

    private static List<Thread> newThreadsSince(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
            .filter((thread) -> !before.contains(thread) && thread.isAlive())
            .filter((thread) -> !thread.getName().startsWith("ForkJoinPool") && !thread.getName().startsWith("awaitility"))
            .toList();
    }

    private static String subscribe(String topic) {
        return "{\"type\":\"__subscribe\",\"payload\":{\"topic\":\"" + topic + "\"}}";
    }

    private static String unsubscribe(String topic) {
        return "{\"type\":\"__unsubscribe\",\"payload\":{\"topic\":\"" + topic + "\"}}";
    }

    /** A payload that counts how often Jackson serializes it. */
    static final class CountingPayload {

        final AtomicInteger serializations = new AtomicInteger();

        @JsonValue
        Map<String, Object> value() {
            this.serializations.incrementAndGet();
            return Map.of("price", 42);
        }
    }
}
