package dev.fanout.sample;

import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import dev.fanout.client.WebSocketClientEventTarget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 8, item 4, over the real sample app: the publish API refuses what a foreign page can send without a CORS
 * preflight, a publish to {@code chat} is validated like a chat message from a spoke, and the statistics stay bounded.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "sample.feed.enabled=false", "sample.publish.max-body-size=1KB" })
class SafeByDefaultTests {

    @LocalServerPort
    private int port;

    @ParameterizedTest
    @ValueSource(strings = { "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
        "application/jsonp", "text/json", "not a type" })
    void publishWithAContentTypeOtherThanJsonAnswers415WithAProblemAndDispatchesNothing(String contentType) {
        SampleApi api = new SampleApi(this.port);
        try (WebSocketClientEventTarget spoke = WebSocketClientEventTarget.connect(api.hub())) {
            Inbox csrf = Inbox.subscribe(spoke, "csrf");

            HttpResponse<String> response = api.publish("csrf", "{\"forged\":true}", contentType);

            assertUnsupportedMediaType(response);
            api.publish("csrf", "{\"marker\":true}");
            csrf.awaitFirst();
            assertThat(csrf.events()).extracting((event) -> event.payloadAs(JsonNode.class))
                .containsExactly(SampleApi.json("{\"marker\":true}"));
        }
    }

    @Test
    void publishWithoutAContentTypeAnswers415() {
        assertUnsupportedMediaType(new SampleApi(this.port).publishWithoutContentType("csrf", "{\"forged\":true}"));
    }

    @Test
    void publishWithJsonAndACharsetIsAccepted() {
        assertThat(new SampleApi(this.port).publish("csrf", "{}", "application/json; charset=UTF-8").statusCode())
            .isEqualTo(202);
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"user\":\"eve\"}", "{\"user\":\"\",\"text\":\"hi\"}", "\"hi\"",
        "{\"user\":\"e\\u0007ve\",\"text\":\"hi\"}" })
    void anInvalidChatMessagePublishedThroughTheApiAnswers400AndReachesNobody(String body) {
        SampleApi api = new SampleApi(this.port);
        try (WebSocketClientEventTarget spoke = WebSocketClientEventTarget.connect(api.hub())) {
            Inbox chat = Inbox.subscribe(spoke, "chat");
            double invalidBefore = api.metric(ChatRoom.INVALID_MESSAGES);

            HttpResponse<String> response = api.publish("chat", body);

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(SampleApi.json(response.body()).path("title").stringValue(""))
                .isEqualTo("Invalid chat message");
            assertThat(api.metric(ChatRoom.INVALID_MESSAGES)).isEqualTo(invalidBefore + 1);
            api.publish("chat", "{\"user\":\"api\",\"text\":\"marker\"}");
            chat.awaitFirst();
            assertThat(chat.events()).extracting((event) -> event.payloadAs(ChatMessage.class).text())
                .containsExactly("marker");
        }
    }

    @Test
    void aValidChatMessagePublishedThroughTheApiIsTrimmedAndStampedLikeOneFromASpoke() {
        SampleApi api = new SampleApi(this.port);
        try (WebSocketClientEventTarget spoke = WebSocketClientEventTarget.connect(api.hub())) {
            Inbox chat = Inbox.subscribe(spoke, "chat");

            assertThat(api.publish("chat", "{\"user\":\" api \",\"text\":\" hello \",\"sentAt\":1}").statusCode())
                .isEqualTo(202);

            ChatMessage message = chat.awaitFirst().payloadAs(ChatMessage.class);
            assertThat(message.user()).isEqualTo("api");
            assertThat(message.text()).isEqualTo("hello");
            assertThat(message.sentAt()).isGreaterThan(1);
        }
    }

    @Test
    void theHubSummaryStaysSmallWhateverTheNumberOfTopicsAndCountsThemAll() {
        SampleApi api = new SampleApi(this.port);
        int topics = 120;
        try (WebSocketClientEventTarget many = WebSocketClientEventTarget.connect(api.hub());
                WebSocketClientEventTarget few = WebSocketClientEventTarget.connect(api.hub())) {
            CompletableFuture.allOf(IntStream.range(0, topics)
                .mapToObj((i) -> many.subscribe("bounded." + i))
                .toArray(CompletableFuture[]::new)).join();
            CompletableFuture.allOf(few.subscribe("bounded.7"), few.subscribe("bounded.42")).join();

            HttpResponse<String> summary = api.get("/actuator/fanout");

            assertThat(summary.body()).doesNotContain("bounded.");
            assertThat(SampleApi.json(summary.body()).path("topics").asInt(0)).isGreaterThanOrEqualTo(topics);
            assertThat(SampleApi.json(summary.body()).path("subscriptions").asLong(0))
                .isGreaterThanOrEqualTo(topics + 2);
            assertThat(api.subscribers("bounded.42")).isEqualTo(2);
            assertThat(api.get("/actuator/prometheus").body()).doesNotContain("bounded.");
        }
    }

    private static void assertUnsupportedMediaType(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(response.headers().firstValue("Content-Type"))
            .hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
        assertThat(SampleApi.json(response.body()).path("title").stringValue(""))
            .isEqualTo("Unsupported content type");
    }
}
