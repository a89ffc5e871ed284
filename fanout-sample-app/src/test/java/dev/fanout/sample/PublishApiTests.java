package dev.fanout.sample;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.fanout.client.WebSocketClientEventTarget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "sample.feed.enabled=false", "sample.publish.max-body-size=1KB" })
class PublishApiTests {

    @LocalServerPort
    private int port;

    private SampleApi api() {
        return new SampleApi(this.port);
    }

    @Test
    void publishDispatchesTheJsonBodyToTheTopicsSubscribersAndAnswers202() {
        SampleApi api = api();
        try (WebSocketClientEventTarget first = WebSocketClientEventTarget.connect(api.hub());
                WebSocketClientEventTarget second = WebSocketClientEventTarget.connect(api.hub())) {
            List<Inbox> subscribers = List.of(Inbox.subscribe(first, "prices.ACME"),
                    Inbox.subscribe(second, "prices.ACME"));

            HttpResponse<String> response = api.publish("prices.ACME", "{\"symbol\":\"ACME\",\"price\":101.25}");

            assertThat(response.statusCode()).isEqualTo(202);
            assertThat(SampleApi.json(response.body()))
                    .isEqualTo(SampleApi.json("{\"topic\":\"prices.ACME\",\"subscribers\":2}"));
            for (Inbox inbox : subscribers) {
                assertThat(inbox.awaitFirst().payloadAs(JsonNode.class))
                        .isEqualTo(SampleApi.json("{\"symbol\":\"ACME\",\"price\":101.25}"));
            }
        }
    }

    @ParameterizedTest(name = "{0} with body {1}")
    @CsvSource(delimiter = '|', textBlock = """
            prices.ACME    | {"price":1} | 202
            prices.ACME    | not json    | 400
            news/eu.FR.txt | {"price":1} | 202
            """)
    void aTopicEndingInDotSomethingIsNotTakenForAFileDownload(String topic, String body, int status) {
        HttpResponse<String> response = api().publish(topic, body);

        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().allValues("Content-Disposition")).containsExactly("inline");
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                (type) -> assertThat(type).contains("json"));
    }

    @Test
    void publishReachesOnlyTheSubscribersOfThatTopic() {
        SampleApi api = api();
        try (WebSocketClientEventTarget other = WebSocketClientEventTarget.connect(api.hub())) {
            Inbox acme = Inbox.listen(other, "prices.ACME");
            Inbox bolt = Inbox.subscribe(other, "prices.BOLT");

            api.publish("prices.ACME", "{\"price\":1}");
            api.publish("prices.BOLT", "{\"price\":2}");

            bolt.awaitFirst();
            assertThat(acme.events()).isEmpty();
            assertThat(bolt.events()).hasSize(1);
        }
    }

    @Test
    void publishAcceptsAnyJsonValueAndTopicsWithSlashes() {
        SampleApi api = api();
        try (WebSocketClientEventTarget spoke = WebSocketClientEventTarget.connect(api.hub())) {
            Inbox news = Inbox.subscribe(spoke, "news/eu:fr");

            assertThat(api.publish("news/eu:fr", "[1,\"two\",null]").statusCode()).isEqualTo(202);
            assertThat(api.publish("news/eu:fr", "\"just a string\"").statusCode()).isEqualTo(202);

            news.awaitEvent((event) -> event.payloadAs(JsonNode.class).isString());
            assertThat(news.events()).extracting((event) -> event.payloadAs(JsonNode.class))
                    .containsExactly(SampleApi.json("[1,\"two\",null]"), SampleApi.json("\"just a string\""));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "__subscribe", "has%20space", "tab%09", "nbsp%C2%A0x", "", "zero%E2%80%8Bwidth",
        "bidi%E2%80%AEx" })
    void publishToAnInvalidTopicAnswers400WithAJsonProblem(String rawTopic) {
        HttpResponse<String> response = api().publish(rawTopic, "{\"price\":1}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                (type) -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = SampleApi.json(response.body());
        assertThat(problem.path("title").stringValue("")).isEqualTo("Invalid topic");
        assertThat(problem.path("status").asInt(0)).isEqualTo(400);
        assertThat(problem.path("detail").stringValue("")).startsWith("topic ");
    }

    @Test
    void publishToATopicLongerThan256CharactersAnswers400() {
        HttpResponse<String> response = api().publish("t".repeat(257), "{}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(SampleApi.json(response.body()).path("detail").stringValue(""))
                .isEqualTo("topic is longer than 256 characters");
        assertThat(api().publish("t".repeat(256), "{}").statusCode()).isEqualTo(202);
    }

    @ParameterizedTest
    @ValueSource(strings = { "not json", "{\"price\":", "{\"a\":1} trailing", "", "   ", "{'single':'quotes'}" })
    void publishWithABodyThatIsNotJsonAnswers400AndDispatchesNothing(String body) {
        SampleApi api = api();
        try (WebSocketClientEventTarget spoke = WebSocketClientEventTarget.connect(api.hub())) {
            Inbox crux = Inbox.subscribe(spoke, "prices.CRUX");

            HttpResponse<String> response = api.publish("prices.CRUX", body);

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(SampleApi.json(response.body()).path("title").stringValue("")).isEqualTo("Body is not JSON");
            api.publish("prices.CRUX", "{\"marker\":true}");
            crux.awaitFirst();
            assertThat(crux.events()).extracting((event) -> event.payloadAs(JsonNode.class))
                    .containsExactly(SampleApi.json("{\"marker\":true}"));
        }
    }

    @Test
    void publishWithABodyOverTheLimitAnswers413() {
        String big = "{\"text\":\"" + "x".repeat(1100) + "\"}";

        HttpResponse<String> response = api().publish("prices.DYNA", big);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(SampleApi.json(response.body()).path("title").stringValue("")).isEqualTo("Body too large");
    }

    @Test
    void symbolsListsTheConfiguredBoard() {
        HttpResponse<String> response = api().get("/api/symbols");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(SampleApi.json(response.body()))
                .isEqualTo(SampleApi.json("[\"ACME\",\"BOLT\",\"CRUX\",\"DYNA\",\"EON\",\"FIZZ\"]"));
    }

    @Test
    void theMetricsAndTheFanoutEndpointReportSpokesTopicsAndPublishedEvents() {
        SampleApi api = api();
        double dispatchedBefore = api.metric("fanout.events.dispatched");
        double deliveredBefore = api.metric("fanout.events.delivered");
        double otherBefore = api.metric("fanout.events.dispatched", "topic.prefix:other");
        try (WebSocketClientEventTarget first = WebSocketClientEventTarget.connect(api.hub());
                WebSocketClientEventTarget second = WebSocketClientEventTarget.connect(api.hub())) {
            CompletableFuture.allOf(first.subscribe("stats.a"), first.subscribe("stats.b"), second.subscribe("stats.a"))
                .join();
            api.publish("stats.a", "1");
            api.publish("stats.b", "2");

            assertThat(api.spokes()).isGreaterThanOrEqualTo(2);
            assertThat(api.metric("fanout.spokes.active")).isGreaterThanOrEqualTo(2);
            assertThat(api.metric("fanout.events.dispatched") - dispatchedBefore).isEqualTo(2);
            assertThat(api.metric("fanout.events.delivered") - deliveredBefore).isEqualTo(3);
            assertThat(api.metric("fanout.events.dispatched", "topic.prefix:other") - otherBefore).isEqualTo(2);
        }
        api.awaitSubscribers("stats.a", 0);
    }

    @Test
    void prometheusScrapesTheHubsMetersAndHealthIncludesTheHub() {
        SampleApi api = api();

        HttpResponse<String> scrape = api.get("/actuator/prometheus");
        JsonNode health = SampleApi.json(api.get("/actuator/health").body());
        JsonNode readiness = SampleApi.json(api.get("/actuator/health/readiness").body());

        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).contains("fanout_spokes_active ", "fanout_events_dispatched_total{topic_prefix=\"chat\"",
                "fanout_spokes_closed_total{code=\"1013\"", "fanout_inbound_ignored_total{reason=\"malformed_json\"");
        assertThat(health.path("status").stringValue("")).isEqualTo("UP");
        assertThat(health.path("components").path("fanout").path("status").stringValue("")).isEqualTo("UP");
        assertThat(health.path("components").path("fanout").path("details").path("broker").stringValue(""))
                .isEqualTo("local");
        assertThat(readiness.path("components").has("fanout")).isTrue();
    }

    @Test
    void theHandWrittenStatsEndpointIsGone() {
        assertThat(api().get("/api/stats").statusCode()).isEqualTo(404);
    }

    @Test
    void theStarterServesTheBrowserClientAndTheAppServesItsPage() {
        SampleApi api = api();

        HttpResponse<String> client = api.get("/fanout/client.js");
        HttpResponse<String> page = api.get("/");

        assertThat(client.statusCode()).isEqualTo(200);
        assertThat(client.headers().firstValue("Content-Type")).hasValueSatisfying(
                (type) -> assertThat(type).contains("javascript"));
        assertThat(client.body()).contains("export class FanoutClient", "export function connect");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("id=\"status\"", "app.js");
        assertThat(Map.of("app.js", api.get("/app.js").statusCode(), "app.css", api.get("/app.css").statusCode()))
                .containsOnly(Map.entry("app.js", 200), Map.entry("app.css", 200));
    }
}
