package dev.fanout.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.fanout.HistoryEntry;
import dev.fanout.HistoryRule;
import dev.fanout.HistorySlice;
import dev.fanout.HistoryStore;
import dev.fanout.redis.testing.RedisServer;

import static dev.fanout.redis.ClusterNode.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * {@link RedisHistoryStore} over a real {@code redis-server}, with brokers standing in for the nodes of a cluster.
 */
@Timeout(120)
class RedisHistoryStoreTests {

    private static final HistoryRule RULE = new HistoryRule("*", 100, Duration.ofMinutes(5));

    private static final RedisHistoryOptions OPTIONS = RedisHistoryOptions.defaults();

    private RedisServer redis;

    private final List<StoreNode> nodes = new ArrayList<>();

    @BeforeEach
    void startRedis() {
        this.redis = RedisServer.start();
    }

    @AfterEach
    void stopEverything() {
        this.nodes.forEach(StoreNode::close);
        if (this.redis != null) {
            this.redis.close();
        }
    }

    @Test
    void offsetsAreStrictlyIncreasingAndEveryNodeTheAppendingOneIncludedDeliversTheSameFramesInOffsetOrder() {
        StoreNode a = node("t");
        StoreNode b = node("t");

        for (int i = 0; i < 50; i++) {
            a.store.append("t", RULE, "{\"type\":\"t\",\"payload\":" + i + "}", (topic, offset, frame) -> {
            });
        }

        await().atMost(WAIT).until(() -> a.delivered.size() == 50 && b.delivered.size() == 50);
        assertThat(a.delivered).extracting(HistoryEntry::offset).containsExactlyElementsOf(range(1, 50));
        assertThat(b.delivered).containsExactlyElementsOf(a.delivered);
        assertThat(a.delivered.get(49).frame()).isEqualTo("{\"type\":\"t\",\"payload\":49,\"offset\":50}");
    }

    @Test
    void concurrentAppendsFromTwoNodesGetOneOrderOfOffsetsThatBothNodesDeliver() throws Exception {
        StoreNode a = node("race");
        StoreNode b = node("race");
        int each = 500;
        CountDownLatch start = new CountDownLatch(1);

        CompletableFuture<Void> fromA = CompletableFuture.runAsync(() -> appendAll(a, "a", each, start));
        CompletableFuture<Void> fromB = CompletableFuture.runAsync(() -> appendAll(b, "b", each, start));
        start.countDown();
        CompletableFuture.allOf(fromA, fromB).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> a.delivered.size() == 2 * each && b.delivered.size() == 2 * each);
        assertThat(a.delivered).extracting(HistoryEntry::offset).containsExactlyElementsOf(range(1, 2 * each));
        assertThat(b.delivered).containsExactlyElementsOf(a.delivered);
        assertThat(a.delivered).filteredOn((entry) -> entry.frame().contains("\"a-")).extracting(this::payloadNumber)
            .isSorted().hasSize(each);
        assertThat(a.delivered).filteredOn((entry) -> entry.frame().contains("\"b-")).extracting(this::payloadNumber)
            .isSorted().hasSize(each);
    }

    @Test
    void theFrameStampedByTheLuaScriptEqualsHistoryStoreStamp() {
        StoreNode a = node("stamp");
        List<String> frames = List.of("{}", "{\"type\":\"stamp\",\"payload\":{}}",
                "{\"type\":\"stamp\",\"payload\":\"é ☃ 😀 \\u0000 \\\"quoted\\\" |pipes|\"}",
                "{\"type\":\"stamp\",\"payload\":[1,2,{\"offset\":3}]}");

        frames.forEach((frame) -> a.store.append("stamp", RULE, frame, (topic, offset, stamped) -> {
        }));

        await().atMost(WAIT).until(() -> a.delivered.size() == frames.size());
        for (int i = 0; i < frames.size(); i++) {
            assertThat(a.delivered.get(i).frame()).isEqualTo(HistoryStore.stamp(frames.get(i), i + 1));
        }
        assertThat(a.read("stamp", RULE, 0, 10).entries()).containsExactlyElementsOf(a.delivered);
    }

    @Test
    void aReadReturnsTheLatestEntriesAfterTheOffsetUpToTheLimitOldestFirstAndThePosition() {
        StoreNode a = node("r");
        appendAndAwait(a, "r", RULE, 10);

        HistorySlice limited = a.read("r", RULE, 3, 4);
        HistorySlice all = a.read("r", RULE, 3, 100);
        HistorySlice positionOnly = a.read("r", RULE, 0, 0);

        assertThat(limited.entries()).extracting(HistoryEntry::offset).containsExactly(7L, 8L, 9L, 10L);
        assertThat(all.entries()).extracting(HistoryEntry::offset).containsExactlyElementsOf(range(4, 10));
        assertThat(all.entries()).containsExactlyElementsOf(a.delivered.subList(3, 10));
        assertThat(positionOnly.entries()).isEmpty();
        assertThat(positionOnly.latest()).isEqualTo(limited.latest()).isEqualTo(all.latest());
        assertThat(limited.latest().offset()).isEqualTo(10);
    }

    @Test
    void aReadOfAnUnknownTopicStartsANewEpochAtOffsetZeroThatTheNextAppendContinues() {
        StoreNode a = node("fresh");
        StoreNode b = node("fresh");

        HistorySlice first = a.read("fresh", RULE, 0, 10);
        Object metaCreated = this.redis.command("EXISTS", "fanout:history:{fresh}:meta");
        appendAndAwait(b, "fresh", RULE, 1);
        HistorySlice after = a.read("fresh", RULE, 0, 10);

        assertThat(first.latest().offset()).isZero();
        assertThat(first.latest().epoch()).isNotEmpty();
        assertThat(first.entries()).isEmpty();
        assertThat(metaCreated).isEqualTo(1L);
        assertThat(after.latest().epoch()).isEqualTo(first.latest().epoch());
        assertThat(after.entries()).extracting(HistoryEntry::offset).containsExactly(1L);
    }

    @Test
    void theMetaHashAReadCreatesForATopicWithoutEventsExpiresAfterTheRulesTimeToLive() {
        StoreNode a = node();
        HistoryRule brief = new HistoryRule("quiet.*", 100, Duration.ofMillis(500));

        a.read("quiet.nobody-dispatches-here", brief, 0, 10);

        assertThat((Long) this.redis.command("PTTL", "fanout:history:{quiet.nobody-dispatches-here}:meta"))
            .isPositive().isLessThanOrEqualTo(500L);
        await().atMost(WAIT).until(() -> Long.valueOf(0).equals(this.redis.command("EXISTS",
                "fanout:history:{quiet.nobody-dispatches-here}:meta")));
    }

    @Test
    void theStreamKeepsAtMostTheRulesSizeAndExpiresAfterTheRulesTimeToLive() {
        StoreNode a = node("bounded");
        HistoryRule small = new HistoryRule("bounded", 5, Duration.ofSeconds(30));
        appendAndAwait(a, "bounded", small, 20);

        assertThat(this.redis.command("XLEN", "fanout:history:{bounded}:stream")).isEqualTo(5L);
        assertThat(a.read("bounded", small, 0, 100).entries()).extracting(HistoryEntry::offset)
            .containsExactly(16L, 17L, 18L, 19L, 20L);
        assertThat((Long) this.redis.command("PTTL", "fanout:history:{bounded}:stream")).isPositive()
            .isLessThanOrEqualTo(30_000L);
        assertThat((Long) this.redis.command("PTTL", "fanout:history:{bounded}:meta"))
            .isGreaterThan(Duration.ofHours(23).toMillis());
    }

    @Test
    void entriesOlderThanTheTimeToLiveAreNotReadAndTheirStreamExpiresWhileTheEpochAndOffsetStay() {
        StoreNode a = node("short");
        HistoryRule brief = new HistoryRule("short", 100, Duration.ofMillis(300));
        appendAndAwait(a, "short", brief, 3);
        String epoch = a.read("short", brief, 0, 0).latest().epoch();

        await().atMost(WAIT).until(() -> a.read("short", brief, 0, 100).entries().isEmpty());
        await().atMost(WAIT).until(() -> Long.valueOf(0).equals(this.redis.command("EXISTS",
                "fanout:history:{short}:stream")));

        HistorySlice later = a.read("short", brief, 0, 100);
        assertThat(later.latest().epoch()).isEqualTo(epoch);
        assertThat(later.latest().offset()).isEqualTo(3);
    }

    @Test
    void aRedisRestartedWithoutItsDataStartsANewEpochAtOffsetOne() {
        StoreNode a = node("restart");
        appendAndAwait(a, "restart", RULE, 3);
        String before = a.read("restart", RULE, 0, 0).latest().epoch();

        this.redis.restart();
        a.awaitUp();
        a.appendConfirmed("restart", RULE, "{\"type\":\"restart\"}");

        HistorySlice after = a.read("restart", RULE, 0, 10);
        assertThat(after.latest().epoch()).isNotEqualTo(before);
        assertThat(after.latest().offset()).isEqualTo(1);
        assertThat(after.entries()).extracting(HistoryEntry::frame)
            .containsExactly("{\"type\":\"restart\",\"offset\":1}");
    }

    @Test
    void aReadFailsWhileRedisIsDownAndAnAppendIsDroppedAndCountedWithoutThrowing() {
        StoreNode a = node("down");
        appendAndAwait(a, "down", RULE, 1);

        this.redis.kill();
        await().atMost(WAIT).until(() -> a.broker.state() == dev.fanout.BrokerState.DOWN);
        a.store.append("down", RULE, "{\"type\":\"down\"}", (topic, offset, frame) -> {
        });

        assertThat(a.store.read("down", RULE, 0, 10).toCompletableFuture()).failsWithin(WAIT);
        await().atMost(WAIT).until(() -> a.store.dropped() == 1);
        assertThat(a.store.appended()).isEqualTo(1);
        assertThat(a.broker.statistics().dropped()).isEqualTo(1);
    }

    @Test
    void whileRedisIsPausedAppendsBeyondTheBoundAreDroppedAndCountedAndTheOthersGoOutOnceItAnswers() {
        StoreNode a = StoreNode.start(ClusterNode.options(this.redis).outboundBufferSize(10).build(), OPTIONS);
        this.nodes.add(a);
        appendAndAwait(a, "paused", RULE, 1);

        this.redis.pause();
        for (int i = 0; i < 25; i++) {
            a.store.append("paused", RULE, "{\"type\":\"paused\"}", (topic, offset, frame) -> {
            });
        }
        long droppedWhilePaused = a.store.dropped();
        this.redis.resume();

        assertThat(droppedWhilePaused).isEqualTo(15);
        await().atMost(WAIT).until(() -> a.store.appended() == 11);
        assertThat(a.read("paused", RULE, 0, 100).latest().offset()).isEqualTo(11);
    }

    @Test
    void afterRedisForgotTheScriptsAnAppendAndAReadFallBackToEval() {
        StoreNode a = node("flushed");
        appendAndAwait(a, "flushed", RULE, 1);

        assertThat(this.redis.command("SCRIPT", "FLUSH")).isEqualTo("OK");
        appendAndAwait(a, "flushed", RULE, 1);

        assertThat(a.store.failed()).isZero();
        assertThat(a.read("flushed", RULE, 0, 10).entries()).extracting(HistoryEntry::offset).containsExactly(1L, 2L);
    }

    @Test
    void oddTopicNamesEachGetTheirOwnKeysUnderThePrefix() {
        List<String> topics = List.of("a", "a}:meta", "a}:stream", "{a}", "a:stream", "a b", "a\nb", "☃", "%41", "A",
                "\uD800", "\uDBFF", "*", "a{b}c");
        StoreNode a = node();

        for (String topic : topics) {
            appendAndAwait(a, topic, RULE, 1);
        }

        for (String topic : topics) {
            HistorySlice slice = a.read(topic, RULE, 0, 10);
            assertThat(slice.latest().offset()).as(topic).isEqualTo(1);
            assertThat(slice.entries()).as(topic).hasSize(1);
        }
        @SuppressWarnings("unchecked")
        List<String> keys = (List<String>) this.redis.command("KEYS", "*");
        assertThat(keys).hasSize(2 * topics.size()).allMatch((key) -> key.startsWith("fanout:history:{"))
            .allMatch((key) -> key.indexOf('{', 1) == key.lastIndexOf('{') && key.indexOf('}') == key.lastIndexOf('}'));
    }

    @Test
    void theKeyPrefixIsConfigurable() {
        StoreNode a = node(OPTIONS.withKeyPrefix("app1:h:"), "p");

        appendAndAwait(a, "p", RULE, 1);

        assertThat(this.redis.command("EXISTS", "app1:h:{p}:stream")).isEqualTo(1L);
        assertThat(this.redis.command("EXISTS", "fanout:history:{p}:stream")).isEqualTo(0L);
    }

    @Test
    void aFactoryRefusesAHubWhoseBrokerIsNoRedisBroker() {
        HistoryStore.Context local = new HistoryStore.Context(dev.fanout.TimeSource.system(), (topic) -> false,
                dev.fanout.Broker.local(), (topic, offset, frame) -> {
                });

        assertThatIllegalArgumentException().isThrownBy(() -> RedisHistoryStore.factory().create(local))
            .withMessageContaining("RedisBroker");
    }

    private StoreNode node(String... topics) {
        return node(OPTIONS, topics);
    }

    private StoreNode node(RedisHistoryOptions options, String... topics) {
        StoreNode node = StoreNode.start(this.redis, options, topics);
        this.nodes.add(node);
        return node;
    }

    private static void appendAndAwait(StoreNode node, String topic, HistoryRule rule, int count) {
        long before = node.store.appended();
        for (int i = 0; i < count; i++) {
            node.store.append(topic, rule, "{\"type\":\"x\",\"payload\":" + i + "}", (t, offset, frame) -> {
            });
        }
        await().atMost(WAIT).until(() -> node.store.appended() == before + count);
    }

    private static void appendAll(StoreNode node, String name, int count, CountDownLatch start) {
        try {
            start.await();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return;
        }
        for (int i = 0; i < count; i++) {
            node.store.append("race", RULE, "{\"type\":\"race\",\"payload\":\"" + name + "-" + i + "\"}",
                    (topic, offset, frame) -> {
                    });
        }
    }

    private int payloadNumber(HistoryEntry entry) {
        String frame = entry.frame();
        int dash = frame.indexOf('-', frame.indexOf("\"payload\""));
        return Integer.parseInt(frame.substring(dash + 1, frame.indexOf('"', dash)));
    }

    private static List<Long> range(long first, long last) {
        return LongStream.rangeClosed(first, last).boxed().toList();
    }
}
