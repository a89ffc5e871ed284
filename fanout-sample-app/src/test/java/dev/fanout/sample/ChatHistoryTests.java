package dev.fanout.sample;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.fanout.Frames;
import dev.fanout.HistoryFrames;
import dev.fanout.client.SubscribeOptions;
import dev.fanout.client.WebSocketClientEventTarget;
import dev.fanout.testing.TestSpoke;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample keeps a history for its chat and the latest quote of each price (application.yml): a page that was away
 * receives the chat messages it missed, those published through the REST API included, and a new board gets each
 * price at once. The page that was away speaks the {@code since} form itself (a raw spoke), as a page that saved its
 * position would; the board is fanout's Java client asking for the latest event.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.feed.enabled=false")
class ChatHistoryTests {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @LocalServerPort
    private int port;

    @Test
    void aPageThatWasAwayReceivesTheChatMessagesItMissedIncludingThosePublishedThroughTheRestApi() {
        SampleApi api = new SampleApi(this.port);
        String epoch;
        long offset;
        try (TestSpoke page = TestSpoke.connect(this.port)) {
            page.sendText(Frames.subscribe("chat", "s1"));
            JsonNode ack = page.awaitEvent("__ack").path("payload");
            epoch = ack.path("epoch").asString();
            offset = ack.path("offset").asLong();
        }
        try (TestSpoke other = TestSpoke.connect(this.port)) {
            other.send("chat", Map.of("user", "ana", "text", "sent while you were away"));
            api.publish("chat", "{\"user\":\"bot\",\"text\":\"published through the API\"}");
            await().atMost(WAIT).until(() -> latestOffset() == offset + 2);
        }

        try (TestSpoke back = TestSpoke.connect(this.port)) {
            back.sendText(HistoryFrames.subscribeSince("chat", "r1", epoch, offset));

            assertThat(back.awaitEvent("__ack").path("payload").path("recovered").asBoolean()).isTrue();
            await().atMost(WAIT).until(() -> back.received("chat").size() == 2);
            List<String> texts = back.received("chat").stream()
                .map((event) -> event.path("payload").path("text").asString())
                .toList();
            assertThat(texts).containsExactly("sent while you were away", "published through the API");
        }
    }

    @Test
    void aNewBoardAskingForTheLatestPriceReceivesItAtOnce() {
        SampleApi api = new SampleApi(this.port);
        api.publish("prices.ZED", "{\"symbol\":\"ZED\",\"price\":12.5}");

        try (WebSocketClientEventTarget board = WebSocketClientEventTarget.connect(api.hub())) {
            Inbox zed = Inbox.subscribe(board, "prices.ZED", SubscribeOptions.latestEvent());

            assertThat(zed.awaitFirst().payloadAs(JsonNode.class).path("price").asDouble()).isEqualTo(12.5);
        }
    }

    private long latestOffset() {
        try (TestSpoke probe = TestSpoke.connect(this.port)) {
            probe.sendText(Frames.subscribe("chat", "probe"));
            return probe.awaitEvent("__ack").path("payload").path("offset").asLong();
        }
    }
}
