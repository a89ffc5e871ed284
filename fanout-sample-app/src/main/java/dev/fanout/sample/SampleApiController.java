package dev.fanout.sample;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import dev.fanout.WebSocketServerEventTarget;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The sample's HTTP API, used by the page, by scripts and by tests.
 *
 * <ul>
 * <li>{@code POST /api/publish/{topic}} with a JSON body ({@code Content-Type: application/json}): dispatches
 * {@code {type: topic, payload: body}} to the topic's subscribers and answers 202 with
 * {@code {"topic": …, "subscribers": …}}. Another content type answers 415, so that a foreign page cannot publish
 * with a form or a {@code text/plain} request (which need no CORS preflight). An invalid topic, an empty body or a
 * body that is not JSON answers 400, a body over {@code sample.publish.max-body-size} 413, each with an RFC 9457
 * problem document ({@code application/problem+json}). The topic may contain {@code /}. A publish to {@code chat}
 * goes through the {@link ChatRoom}'s validation, like a chat message from a spoke: an invalid one answers 400.</li>
 * <li>{@code GET /api/symbols}: the symbols of the market board.</li>
 * </ul>
 */
@RestController
@RequestMapping("/api")
public final class SampleApiController {

    /**
     * The disposition of every publish answer. Spring MVC's guard against reflected file downloads takes the last dot
     * of a topic such as {@code prices.ACME} for a file extension and would add {@code inline;filename=f.txt}; that
     * guard is for responses a link can trigger, and a POST cannot be, so the answer states the default instead.
     */
    private static final String INLINE = "inline";

    private static final Logger logger = LoggerFactory.getLogger(SampleApiController.class);

    private final WebSocketServerEventTarget hub;

    private final Publisher publisher;

    private final ObjectReader jsonReader;

    private final SampleProperties properties;

    private final ChatRoom chatRoom;

    /**
     * Creates the controller.
     *
     * @param hub the hub, for the subscriber count of a topic
     * @param publisher where to publish
     * @param jsonMapper the mapper to parse request bodies with
     * @param properties the sample settings
     * @param chatRoom validates and fans out what is published to {@code chat}
     */
    public SampleApiController(WebSocketServerEventTarget hub, Publisher publisher, JsonMapper jsonMapper,
            SampleProperties properties, ChatRoom chatRoom) {
        this.hub = hub;
        this.publisher = publisher;
        this.jsonReader = jsonMapper.readerFor(JsonNode.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.properties = properties;
        this.chatRoom = chatRoom;
    }

    /**
     * Publishes the request body to a topic.
     *
     * @param path the topic, as matched by {@code {*topic}} (with a leading slash)
     * @param contentType the request's content type, if it has one
     * @param body the request body
     * @return 202 with the topic and its subscriber count, or a 400/413/415 problem
     * @throws IOException if the request body cannot be read
     */
    @PostMapping("/publish/{*topic}")
    public ResponseEntity<?> publish(@PathVariable("topic") String path,
            @RequestHeader(name = HttpHeaders.CONTENT_TYPE, required = false) @Nullable String contentType,
            InputStream body) throws IOException {
        String topic = path.startsWith("/") ? path.substring(1) : path;
        if (!isJson(contentType)) {
            return problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported content type",
                    "the body must be sent as application/json", topic);
        }
        String topicProblem = Topics.problemWith(topic, this.properties.getPublish().getMaxTopicLength());
        if (!topicProblem.isEmpty()) {
            return problem(HttpStatus.BAD_REQUEST, "Invalid topic", topicProblem, topic);
        }
        long maxBytes = this.properties.getPublish().getMaxBodySize().toBytes();
        byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        if (bytes.length > maxBytes) {
            return problem(HttpStatus.CONTENT_TOO_LARGE, "Body too large",
                    "the body is larger than " + maxBytes + " bytes", topic);
        }
        JsonNode payload;
        try {
            payload = this.jsonReader.readValue(bytes);
        }
        catch (JacksonException ex) {
            logger.debug("Rejected a publish to {}: body is not JSON ({})", topic, ex.getOriginalMessage());
            return problem(HttpStatus.BAD_REQUEST, "Body is not JSON", ex.getOriginalMessage(), topic);
        }
        if (payload == null || payload.isMissingNode()) {
            return problem(HttpStatus.BAD_REQUEST, "Body is not JSON", "the body is empty", topic);
        }
        int subscribers = this.hub.subscriberCount(topic);
        if (ChatRoom.TOPIC.equals(topic)) {
            String chatProblem = this.chatRoom.post(payload);
            if (!chatProblem.isEmpty()) {
                return problem(HttpStatus.BAD_REQUEST, "Invalid chat message", chatProblem, topic);
            }
        }
        else {
            this.publisher.publish(topic, payload);
        }
        return ResponseEntity.accepted().header(HttpHeaders.CONTENT_DISPOSITION, INLINE).body(new Published(topic,
                subscribers));
    }

    private static boolean isJson(@Nullable String contentType) {
        if (contentType == null) {
            return false;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return type.getType().equals("application") && type.getSubtype().equals("json");
        }
        catch (InvalidMediaTypeException ex) {
            return false;
        }
    }

    /**
     * The symbols of the market board, each published on {@code prices.<SYMBOL>}.
     *
     * @return the symbols in board order
     */
    @GetMapping("/symbols")
    public List<String> symbols() {
        return List.copyOf(this.properties.getFeed().getSymbols());
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String title, String detail,
            String topic) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        problem.setProperty("topic", topic);
        return ResponseEntity.of(problem).header(HttpHeaders.CONTENT_DISPOSITION, INLINE).build();
    }

    /**
     * The body of a 202 answer to a publish.
     *
     * @param topic the topic published to
     * @param subscribers how many spokes were subscribed to it when it was published
     */
    public record Published(String topic, int subscribers) {
    }
}
