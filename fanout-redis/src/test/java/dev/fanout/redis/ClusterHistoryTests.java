package dev.fanout.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

import dev.fanout.BrokerState;
import dev.fanout.CloseCodes;
import dev.fanout.Event;
import dev.fanout.Frames;
import dev.fanout.HistoryOptions;
import dev.fanout.HistoryRule;
import dev.fanout.WebSocketServerEventTarget;
import dev.fanout.WebSocketServerOptions;
import dev.fanout.redis.testing.RedisServer;
import dev.fanout.testing.InMemoryRawSocket;

import static dev.fanout.HistoryFrames.ackPayload;
import static dev.fanout.HistoryFrames.offsetsOf;
import static dev.fanout.HistoryFrames.subscribeSince;
import static dev.fanout.redis.ClusterNode.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * History and recovery of a cluster: hubs with in-memory spokes, clustered through {@link RedisBroker}s, their
 * history kept by {@link RedisHistoryStore}s in one real {@code redis-server} (docs/protocol.md, "History and
 * recovery").
 */
@Timeout(180)
class ClusterHistoryTests {

    private static final long SLOW_CONSUMER_THRESHOLD = 64 * 1024;

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
    void everyNodeStampsATopicsEventsWithTheSameOffsetsWhicheverNodeDispatchedThem() {
        ClusterNode a = node();
        ClusterNode b = node();
        InMemoryRawSocket onA = subscribed(a, "on-a", "chat");
        InMemoryRawSocket onB = subscribed(b, "on-b", "chat");

        for (int i = 0; i < 20; i++) {
            ((i % 2 == 0) ? a : b).hub.dispatchEvent(Event.of("chat", i));
        }

        await().atMost(WAIT).until(() -> offsetsOf(onA.sentMessages(), "chat").size() == 20
                && offsetsOf(onB.sentMessages(), "chat").size() == 20);
        assertThat(offsetsOf(onA.sentMessages(), "chat")).containsExactlyElementsOf(range(1, 20));
        assertThat(events(onB)).containsExactlyElementsOf(events(onA));
    }

    @Test
    void aSpokeOnNodeBAwayWhile500EventsWereDispatchedOnNodeARecoversExactlyThoseInOrderThenLiveOnesWhileAPublisherDispatchesAtFullSpeed()
            throws Exception {
        ClusterNode a = node();
        ClusterNode b = node();
        InMemoryRawSocket watcher = subscribed(a, "watcher", "chat");
        InMemoryRawSocket away = subscribed(b, "away", "chat");
        String epoch = ackPayload(away.sentMessages(), "s").path("epoch").asString();
        dispatch(a, "before", 10);
        await().atMost(WAIT).until(() -> offsetsOf(away.sentMessages(), "chat").size() == 10);
        away.closeFromPeer(1006, "network blip");

        dispatch(a, "missed", 500);
        await().atMost(WAIT).until(() -> offsetsOf(watcher.sentMessages(), "chat").size() == 510);
        AtomicBoolean publishing = new AtomicBoolean(true);
        AtomicInteger published = new AtomicInteger();
        CompletableFuture<Void> publisher = CompletableFuture.runAsync(() -> {
            while (publishing.get()) {
                a.hub.dispatchEvent(Event.of("chat", Map.of("live", published.incrementAndGet())));
            }
        });
        await().atMost(WAIT).until(() -> published.get() >= 100);
        InMemoryRawSocket back = socket(b, "back");
        back.receiveText(subscribeSince("chat", "r", epoch, 10));
        await().atMost(WAIT).until(() -> offsetsOf(back.sentMessages(), "chat").size() >= 500 + 200);
        publishing.set(false);
        publisher.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> {
            long latest = latestOffset("chat");
            return latest == lastOffset(watcher) && latest == lastOffset(back);
        });

        // Appends still on their way to Redis may land after that check: everything below is read from one snapshot.
        List<String> backFrames = back.sentMessages();
        List<Long> recovered = offsetsOf(backFrames, "chat");
        long last = recovered.get(recovered.size() - 1);
        await().atMost(WAIT).until(() -> lastOffset(watcher) >= last);
        List<String> watcherEvents = events(watcher.sentMessages());
        JsonNode ack = ackPayload(backFrames, "r");
        assertThat(ack.path("recovered").asBoolean()).isTrue();
        assertThat(ack.path("epoch").asString()).isEqualTo(epoch);
        assertThat(ack.path("offset").asLong()).isGreaterThanOrEqualTo(510);
        assertThat(recovered).containsExactlyElementsOf(range(11, last));
        assertThat(events(backFrames)).containsExactlyElementsOf(watcherEvents.subList(10, 10 + recovered.size()));
        assertThat(events(backFrames).subList(0, 500)).allMatch((frame) -> frame.contains("\"missed\""));
        assertThat(backFrames.get(0)).contains("\"__ack\"");
    }

    @Test
    void aSpokeEvictedAsASlowConsumerOnNodeBReconnectsAndRecoversWhatItMissed() {
        ClusterNode a = node();
        ClusterNode b = node(SLOW_CONSUMER_THRESHOLD);
        InMemoryRawSocket slow = subscribed(b, "slow", "chat");
        String epoch = ackPayload(slow.sentMessages(), "s").path("epoch").asString();
        dispatch(a, "seen", 4);
        await().atMost(WAIT).until(() -> offsetsOf(slow.sentMessages(), "chat").size() == 4);

        slow.setBufferedAmount(SLOW_CONSUMER_THRESHOLD + 1);
        dispatch(a, "missed", 30);
        await().atMost(WAIT).until(() -> slow.closeCode() == CloseCodes.SLOW_CONSUMER);
        long last = offsetsOf(slow.sentMessages(), "chat").get(offsetsOf(slow.sentMessages(), "chat").size() - 1);
        InMemoryRawSocket again = socket(b, "again");
        again.receiveText(subscribeSince("chat", "r", epoch, last));

        await().atMost(WAIT).until(() -> offsetsOf(again.sentMessages(), "chat").size() == 34 - last);
        assertThat(ackPayload(again.sentMessages(), "r").path("recovered").asBoolean()).isTrue();
        assertThat(offsetsOf(again.sentMessages(), "chat")).containsExactlyElementsOf(range(last + 1, 34));
    }

    @Test
    void afterARedisRestartTheTopicHasANewEpochSoRecoverySaysRecoveredFalse() {
        ClusterNode a = node();
        ClusterNode b = node();
        InMemoryRawSocket spoke = subscribed(b, "spoke", "chat");
        String epoch = ackPayload(spoke.sentMessages(), "s").path("epoch").asString();
        dispatch(a, "before", 3);
        await().atMost(WAIT).until(() -> offsetsOf(spoke.sentMessages(), "chat").size() == 3);
        spoke.closeFromPeer(1006, "gone");

        this.redis.restart();
        a.awaitUp();
        b.awaitUp();
        InMemoryRawSocket back = socket(b, "back");
        back.receiveText(subscribeSince("chat", "r", epoch, 3));

        await().atMost(WAIT).until(() -> back.sentMessages().stream().anyMatch((frame) -> frame.contains("__ack")));
        JsonNode ack = ackPayload(back.sentMessages(), "r");
        assertThat(ack.path("recovered").asBoolean(true)).isFalse();
        assertThat(ack.path("epoch").asString()).isNotEqualTo(epoch);
        assertThat(ack.path("offset").asLong()).isZero();
    }

    @Test
    void aRecoveryWhileRedisIsDownSaysRecoveredFalse() {
        ClusterNode a = node();
        InMemoryRawSocket spoke = subscribed(a, "spoke", "chat");
        String epoch = ackPayload(spoke.sentMessages(), "s").path("epoch").asString();
        dispatch(a, "before", 2);
        await().atMost(WAIT).until(() -> offsetsOf(spoke.sentMessages(), "chat").size() == 2);

        this.redis.kill();
        await().atMost(WAIT).until(() -> a.broker.state() == BrokerState.DOWN);
        InMemoryRawSocket back = socket(a, "back");
        back.receiveText(subscribeSince("chat", "r", epoch, 1));

        await().atMost(WAIT).until(() -> back.sentMessages().stream().anyMatch((frame) -> frame.contains("__ack")));
        assertThat(ackPayload(back.sentMessages(), "r").path("recovered").asBoolean(true)).isFalse();
        assertThat(offsetsOf(back.sentMessages(), "chat")).isEmpty();
    }

    @Test
    void topicsWithoutHistoryStillTravelAsPlainFramesBetweenTheNodes() {
        ClusterNode a = node();
        ClusterNode b = node();
        InMemoryRawSocket onB = b.spoke("on-b", "news");

        a.hub.dispatchEvent(Event.of("news", "plain"));
        this.redis.publish("fanout.t.news", "1|oldnode|{\"type\":\"news\",\"payload\":\"v1\"}");

        await().atMost(WAIT).until(() -> onB.sentMessages().size() == 2);
        assertThat(onB.sentMessages()).containsExactlyInAnyOrder("{\"type\":\"news\",\"payload\":\"plain\"}",
                "{\"type\":\"news\",\"payload\":\"v1\"}");
    }

    @Test
    void aNodeWhoseHubKeepsNoHistorySendsTheOtherNodesStampedFramesAsTheyAre() {
        ClusterNode withHistory = node();
        ClusterNode without = ClusterNode.start(ClusterNode.options(this.redis).build()).awaitUp();
        this.nodes.add(without);
        InMemoryRawSocket plain = without.spoke("plain", "chat");

        withHistory.hub.dispatchEvent(Event.of("chat", "stamped"));

        await().atMost(WAIT).until(() -> plain.sentMessages().size() == 1);
        assertThat(plain.sentMessages()).containsExactly("{\"type\":\"chat\",\"payload\":\"stamped\",\"offset\":1}");
    }

    @Test
    void spokesThatStayedConnectedToNodeBReceiveEveryEventNodeADispatchedWhileBsPubSubConnectionWasDownOnceEachInOffsetOrder() {
        ClusterNode a = node();
        ClusterNode b = slowToReconnect();
        InMemoryRawSocket first = subscribed(b, "first", "chat");
        InMemoryRawSocket second = subscribed(b, "second", "chat");
        dispatch(a, "before", 10);
        await().atMost(WAIT).until(() -> offsetsOf(second.sentMessages(), "chat").size() == 10);

        dispatchWhilePubSubConnectionIsDown(a, b, 200);
        b.awaitUp();
        dispatch(a, "after", 20);

        await().atMost(WAIT).until(() -> lastOffset(first) == 230 && lastOffset(second) == 230);
        assertThat(offsetsOf(first.sentMessages(), "chat")).containsExactlyElementsOf(range(1, 230));
        assertThat(offsetsOf(second.sentMessages(), "chat")).containsExactlyElementsOf(range(1, 230));
        assertThat(events(first).subList(10, 210)).allMatch((frame) -> frame.contains("\"missed\""));
        assertThat(first.isOpen()).isTrue();
        assertThat(b.broker.stats().historyGapEventsRecovered()).isGreaterThanOrEqualTo(200);
        assertThat(b.broker.stats().historyGapEventsLost()).isZero();
    }

    @Test
    void aNodeWhoseGapRepairBatchSizeIs50ReadsA200EventGapInFourBatchesAndDeliversItInOrder() {
        ClusterNode a = node();
        ClusterNode b = slowToReconnect(RedisHistoryOptions.defaults().withGapRepair(10_000, 50));
        InMemoryRawSocket spoke = subscribed(b, "spoke", "chat");
        dispatch(a, "before", 10);
        await().atMost(WAIT).until(() -> lastOffset(spoke) == 10);

        dispatchWhilePubSubConnectionIsDown(a, b, 200);
        b.awaitUp();

        await().atMost(WAIT).until(() -> lastOffset(spoke) == 210);
        assertThat(offsetsOf(spoke.sentMessages(), "chat")).containsExactlyElementsOf(range(1, 210));
        assertThat(b.broker.stats().historyGapsRepaired()).isEqualTo(4);
        assertThat(b.broker.stats().historyGapEventsRecovered()).isEqualTo(200);
    }

    @Test
    void eventsDispatchedOnNodeAWhileBsPubSubConnectionWasDownReachBsSpokesAfterItReconnectsEvenIfNoFurtherEventFollows() {
        ClusterNode a = node();
        ClusterNode b = slowToReconnect();
        InMemoryRawSocket spoke = subscribed(b, "spoke", "chat");
        dispatch(a, "before", 5);
        await().atMost(WAIT).until(() -> offsetsOf(spoke.sentMessages(), "chat").size() == 5);

        dispatchWhilePubSubConnectionIsDown(a, b, 50);

        await().atMost(WAIT).until(() -> lastOffset(spoke) == 55);
        assertThat(offsetsOf(spoke.sentMessages(), "chat")).containsExactlyElementsOf(range(1, 55));
        assertThat(b.broker.stats().historyGapsRepaired()).isEqualTo(1);
        assertThat(b.broker.stats().historyGapEventsRecovered()).isEqualTo(50);
        assertThat(b.broker.statistics().recovered()).as("the hub's meters' view").isEqualTo(50);
    }

    @Test
    void anEventWhosePubSubMessageWasLostReachesTheSpokesOfEveryNodeFromTheStreamInOrderWhenTheNextEventArrives() {
        ClusterNode a = node();
        ClusterNode b = node();
        InMemoryRawSocket onA = subscribed(a, "on-a", "chat");
        InMemoryRawSocket onB = subscribed(b, "on-b", "chat");
        dispatch(a, "before", 3);
        await().atMost(WAIT).until(() -> lastOffset(onA) == 3 && lastOffset(onB) == 3);

        appendWithoutPublishing("chat", "{\"type\":\"chat\",\"payload\":\"lost on pub/sub\"}");
        dispatch(a, "after", 1);

        await().atMost(WAIT).until(() -> lastOffset(onA) == 5 && lastOffset(onB) == 5);
        assertThat(offsetsOf(onA.sentMessages(), "chat")).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(offsetsOf(onB.sentMessages(), "chat")).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(events(onB).get(3)).contains("lost on pub/sub");
        assertThat(b.broker.stats().historyGapEventsRecovered()).isEqualTo(1);
    }

    @Test
    void aRecoveryThatReadsAnEventNodeBsPubSubLostRepairsItForBsOtherSpokesWithoutALaterEventAndSendsItOnce() {
        ClusterNode a = node();
        ClusterNode b = node();
        InMemoryRawSocket stays = subscribed(b, "stays", "chat");
        String epoch = ackPayload(stays.sentMessages(), "s").path("epoch").asString();
        dispatch(a, "before", 3);
        await().atMost(WAIT).until(() -> lastOffset(stays) == 3);

        appendWithoutPublishing("chat", "{\"type\":\"chat\",\"payload\":\"lost on pub/sub\"}");
        InMemoryRawSocket back = socket(b, "back");
        back.receiveText(subscribeSince("chat", "r", epoch, 2));

        await().atMost(WAIT).until(() -> lastOffset(back) == 4 && lastOffset(stays) == 4);
        assertThat(ackPayload(back.sentMessages(), "r").path("recovered").asBoolean()).isTrue();
        assertThat(offsetsOf(back.sentMessages(), "chat")).containsExactly(3L, 4L);
        assertThat(offsetsOf(stays.sentMessages(), "chat")).containsExactly(1L, 2L, 3L, 4L);
        assertThat(events(stays).get(3)).contains("lost on pub/sub");
        assertThat(b.broker.stats().historyGapEventsRecovered()).isEqualTo(1);
    }

    @Test
    void eventsTrimmedFromTheStreamBeforeNodeBCouldRepairItsGapAreCountedAsLostAndTheRestArrivesInOrder() {
        ClusterNode a = node();
        ClusterNode b = node();
        InMemoryRawSocket spoke = subscribed(b, "spoke", "chat");
        dispatch(a, "before", 2);
        await().atMost(WAIT).until(() -> lastOffset(spoke) == 2);

        appendWithoutPublishing("chat", "{\"type\":\"chat\",\"payload\":3}");
        appendWithoutPublishing("chat", "{\"type\":\"chat\",\"payload\":4}");
        this.redis.command("XTRIM", "fanout:history:{chat}:stream", "MINID", "4");
        dispatch(a, "after", 1);

        await().atMost(WAIT).until(() -> lastOffset(spoke) == 5);
        assertThat(offsetsOf(spoke.sentMessages(), "chat")).containsExactly(1L, 2L, 4L, 5L);
        assertThat(b.broker.stats().historyGapEventsLost()).isEqualTo(1);
        assertThat(b.broker.statistics().dropped()).as("the hub's meters' view").isEqualTo(1);
    }

    @Test
    void whileNodeADispatchesAtFullSpeedAndBsPubSubConnectionIsKilledTwiceBsSpokeReceivesEveryOffsetOnceInOrder()
            throws Exception {
        ClusterNode a = node();
        ClusterNode b = node();
        InMemoryRawSocket spoke = subscribed(b, "spoke", "chat");
        int total = 3_000;
        CompletableFuture<Void> publisher = CompletableFuture.runAsync(() -> dispatch(a, "burst", total));

        for (int kill = 1; kill <= 2; kill++) {
            long seen = (long) kill * total / 3;
            await().atMost(WAIT).until(() -> lastOffset(spoke) >= seen);
            int downs = downsOf(b);
            assertThat(this.redis.killPubSubClients()).isEqualTo(1);
            await().atMost(WAIT).until(() -> downsOf(b) > downs);
        }
        publisher.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> lastOffset(spoke) == total);
        assertThat(offsetsOf(spoke.sentMessages(), "chat")).containsExactlyElementsOf(range(1, total));
        assertThat(b.broker.stats().historyGapEventsLost()).isZero();
    }

    @Test
    void afterRedisLostATopicsHistoryWhileConnectedTheNewEpochsEventsStillReachNodeBsSpokesFromOffsetOne() {
        ClusterNode a = node();
        ClusterNode b = node();
        InMemoryRawSocket spoke = subscribed(b, "spoke", "chat");
        dispatch(a, "old epoch", 3);
        await().atMost(WAIT).until(() -> lastOffset(spoke) == 3);

        this.redis.command("FLUSHALL");
        dispatch(a, "new epoch", 2);

        await().atMost(WAIT).until(() -> offsetsOf(spoke.sentMessages(), "chat").size() == 5);
        assertThat(offsetsOf(spoke.sentMessages(), "chat")).containsExactly(1L, 2L, 3L, 1L, 2L);
        assertThat(events(spoke).subList(3, 5)).allMatch((frame) -> frame.contains("\"new epoch\""));
        assertThat(b.broker.state()).isEqualTo(BrokerState.UP);
    }

    @Test
    void aSpokeThatJoinedAtOffset3StillReceivesTheFirstEventsOfTheEpochThatFollowsWhenRedisLosesTheTopicsHistory() {
        ClusterNode a = node();
        ClusterNode b = node();
        dispatch(a, "old epoch", 3);
        await().atMost(WAIT).until(() -> latestOffset("chat") == 3);
        InMemoryRawSocket spoke = subscribed(b, "spoke", "chat");
        assertThat(ackPayload(spoke.sentMessages(), "s").path("offset").asLong()).isEqualTo(3);

        this.redis.command("FLUSHALL");
        dispatch(a, "new epoch", 2);

        await().atMost(WAIT).until(() -> offsetsOf(spoke.sentMessages(), "chat").size() == 2);
        assertThat(offsetsOf(spoke.sentMessages(), "chat")).containsExactly(1L, 2L);
        assertThat(events(spoke)).allMatch((frame) -> frame.contains("\"new epoch\""));
    }

    private ClusterNode node() {
        return node(WebSocketServerOptions.DEFAULT_BACKPRESSURE_THRESHOLD);
    }

    private ClusterNode node(long backpressureThreshold) {
        ClusterNode node = ClusterNode.start(ClusterNode.options(this.redis).build(),
                (hub) -> withHistory(hub, backpressureThreshold));
        this.nodes.add(node);
        return node.awaitUp();
    }

    private static WebSocketServerOptions.Builder withHistory(WebSocketServerOptions.Builder hub,
            long backpressureThreshold) {
        return withHistory(hub, backpressureThreshold, RedisHistoryOptions.defaults());
    }

    private static WebSocketServerOptions.Builder withHistory(WebSocketServerOptions.Builder hub,
            long backpressureThreshold, RedisHistoryOptions store) {
        return hub.backpressureThreshold(backpressureThreshold)
            .history(HistoryOptions.of(List.of(new HistoryRule("chat", 10_000, Duration.ofMinutes(5))))
                .withMaxRecoveredEvents(10_000)
                .withStore(RedisHistoryStore.factory(store)));
    }

    /** A node that waits 3 s before it reconnects, so that a test can dispatch on another node meanwhile. */
    private ClusterNode slowToReconnect() {
        return slowToReconnect(RedisHistoryOptions.defaults());
    }

    private ClusterNode slowToReconnect(RedisHistoryOptions store) {
        ClusterNode node = ClusterNode.start(ClusterNode.options(this.redis)
            .reconnectDelay(Duration.ofSeconds(3), Duration.ofSeconds(3))
            .build(), (hub) -> withHistory(hub, WebSocketServerOptions.DEFAULT_BACKPRESSURE_THRESHOLD, store));
        this.nodes.add(node);
        return node.awaitUp();
    }

    /**
     * Kills the pub/sub connection of {@code down}, the only one on the server (the other nodes of these tests have no
     * subscription that would make theirs one), then dispatches {@code count} events labelled "missed" on
     * {@code dispatcher} and waits until Redis published them all, while {@code down} is still reconnecting.
     */
    private void dispatchWhilePubSubConnectionIsDown(ClusterNode dispatcher, ClusterNode down, int count) {
        long before = latestOffset("chat");
        assertThat(this.redis.killPubSubClients()).isEqualTo(1);
        await().atMost(WAIT).until(() -> down.broker.state() == BrokerState.DOWN);
        dispatch(dispatcher, "missed", count);
        await().atMost(WAIT).until(() -> latestOffset("chat") == before + count);
        assertThat(down.broker.state()).as("the node was still reconnecting when the events were published")
            .isEqualTo(BrokerState.DOWN);
    }

    /** Runs the store's append script as a node would, but publishes on a channel nobody listens to. */
    private void appendWithoutPublishing(String topic, String frame) {
        this.redis.command("EVAL", HistoryScripts.load().append().source(), "2", "fanout:history:{" + topic
                + "}:stream", "fanout:history:{" + topic + "}:meta", frame, "10000", "300000", "86400000", "unused",
                "nobody.listens", "3|lost|0|");
    }

    private static int downsOf(ClusterNode node) {
        return (int) node.states.stream().filter((state) -> state == BrokerState.DOWN).count();
    }

    /** A spoke subscribed to the topic with the id {@code s}, once the hub acknowledged it. */
    private static InMemoryRawSocket subscribed(ClusterNode node, String name, String topic) {
        InMemoryRawSocket socket = socket(node, name);
        socket.receiveText(Frames.subscribe(topic, "s"));
        await().atMost(WAIT).until(() -> socket.sentMessages().stream().anyMatch((frame) -> frame.contains("__ack")));
        return socket;
    }

    private static InMemoryRawSocket socket(ClusterNode node, String name) {
        InMemoryRawSocket socket = new InMemoryRawSocket(name);
        node.hub.addConnection(socket);
        return socket;
    }

    private static void dispatch(ClusterNode node, String label, int count) {
        WebSocketServerEventTarget hub = node.hub;
        for (int i = 0; i < count; i++) {
            hub.dispatchEvent(Event.of("chat", Map.of(label, i)));
        }
    }

    private long latestOffset(String topic) {
        Object offset = this.redis.command("HGET", "fanout:history:{" + topic + "}:meta", "o");
        return (offset != null) ? Long.parseLong((String) offset) : 0;
    }

    private static long lastOffset(InMemoryRawSocket socket) {
        List<Long> offsets = offsetsOf(socket.sentMessages(), "chat");
        return offsets.isEmpty() ? 0 : offsets.get(offsets.size() - 1);
    }

    private static List<String> events(InMemoryRawSocket socket) {
        return events(socket.sentMessages());
    }

    private static List<String> events(List<String> frames) {
        return frames.stream().filter((frame) -> frame.startsWith("{\"type\":\"chat\"")).toList();
    }

    private static List<Long> range(long first, long last) {
        return LongStream.rangeClosed(first, last).boxed().toList();
    }
}
