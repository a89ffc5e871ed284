package dev.fanout.sample;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.fanout.Frames;
import dev.fanout.HistoryFrames;
import dev.fanout.testing.TestSpoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample's chat history in cluster mode: two nodes of the sample clustered with {@code fanout.broker.type=redis}
 * over a real {@code redis-server} keep the chat's history in Redis Streams, so a page that was away from one node
 * recovers on the other what was sent meanwhile on either, the REST API's messages included.
 */
class TwoNodeChatHistoryTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static SampleCluster cluster;

    @BeforeAll
    static void startRedisAndTwoNodes() {
        cluster = SampleCluster.start(2);
    }

    @AfterAll
    static void stopNodesAndRedis() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aPageThatLeftOneNodeRecoversOnTheOtherTheChatMessagesSentMeanwhileOnEitherNodeAndThroughTheRestApi() {
        String epoch;
        long offset;
        try (TestSpoke page = TestSpoke.connect(port(0))) {
            page.sendText(Frames.subscribe("chat", "s1"));
            JsonNode ack = page.awaitEvent("__ack").path("payload");
            epoch = ack.path("epoch").asString();
            offset = ack.path("offset").asLong();
        }
        try (TestSpoke onA = TestSpoke.connect(port(0)); TestSpoke onB = TestSpoke.connect(port(1))) {
            onA.sendText(Frames.subscribe("chat", "a"));
            onA.awaitEvent("__ack");
            onB.send("chat", Map.of("user", "ana", "text", "sent on node B"));
            new SampleApi(port(0)).publish("chat", "{\"user\":\"bot\",\"text\":\"published on node A's API\"}");
            await().atMost(WAIT).until(() -> onA.received("chat").size() == 2);
        }

        try (TestSpoke back = TestSpoke.connect(port(1))) {
            back.sendText(HistoryFrames.subscribeSince("chat", "r1", epoch, offset));

            JsonNode ack = back.awaitEvent("__ack").path("payload");
            assertThat(ack.path("recovered").asBoolean()).isTrue();
            assertThat(ack.path("epoch").asString()).isEqualTo(epoch);
            await().atMost(WAIT).until(() -> back.received("chat").size() == 2);
            assertThat(back.received("chat")).extracting((event) -> event.path("payload").path("text").asString())
                .containsExactly("sent on node B", "published on node A's API");
            assertThat(back.received("chat")).extracting((event) -> event.path("offset").asLong())
                .containsExactly(offset + 1, offset + 2);
        }
    }

    private static int port(int node) {
        return cluster.port(node);
    }
}
