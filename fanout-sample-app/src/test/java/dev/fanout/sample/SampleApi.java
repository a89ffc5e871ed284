package dev.fanout.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.awaitility.Awaitility.await;

/**
 * The sample's HTTP API as a test talks to it: real HTTP over loopback with the JDK client; and where its hub listens.
 */
final class SampleApi {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient client = HttpClient.newHttpClient();

    private final String base;

    SampleApi(int port) {
        this.base = "http://localhost:" + port;
    }

    /** The hub's WebSocket endpoint, for fanout's Java client. */
    URI hub() {
        return URI.create(this.base.replaceFirst("^http", "ws") + "/fanout");
    }

    HttpResponse<String> publish(String rawTopicPath, String body) {
        return publish(rawTopicPath, body, "application/json");
    }

    HttpResponse<String> publish(String rawTopicPath, String body, String contentType) {
        return send(HttpRequest.newBuilder(URI.create(this.base + "/api/publish/" + rawTopicPath))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    HttpResponse<String> publishWithoutContentType(String rawTopicPath, String body) {
        return send(HttpRequest.newBuilder(URI.create(this.base + "/api/publish/" + rawTopicPath))
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(this.base + path)).GET());
    }

    /**
     * The value of one meter from {@code /actuator/metrics}: a counter's count or a gauge's value, summed over the
     * series that match the tags ({@code key:value}).
     */
    double metric(String name, String... tags) {
        StringBuilder query = new StringBuilder();
        for (String tag : tags) {
            query.append(query.isEmpty() ? "?" : "&").append("tag=").append(tag);
        }
        HttpResponse<String> response = get("/actuator/metrics/" + name + query);
        if (response.statusCode() == 404) {
            return 0;
        }
        return JSON.readTree(response.body()).path("measurements").path(0).path("value").asDouble();
    }

    /** The spokes connected now, from {@code /actuator/fanout}. */
    int spokes() {
        return JSON.readTree(get("/actuator/fanout").body()).path("spokes").asInt(-1);
    }

    /** The subscribers of one topic now, from {@code /actuator/fanout/{topic}}. */
    int subscribers(String topic) {
        return JSON.readTree(get("/actuator/fanout/" + topic).body()).path("subscribers").asInt(-1);
    }

    void awaitSubscribers(String topic, int count) {
        await().atMost(Duration.ofSeconds(15)).until(() -> subscribers(topic) == count);
    }

    static JsonNode json(String body) {
        return JSON.readTree(body);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return this.client.send(request.timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
        catch (Exception ex) {
            throw new IllegalStateException("Request failed: " + ex, ex);
        }
    }
}
