package dev.fanout.spring.endtoend;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.json.JsonMapper;

import dev.fanout.Event;
import dev.fanout.WebSocketServerEventTarget;
import dev.fanout.spring.endtoend.FanoutTestApplication.ChatListener;
import dev.fanout.testing.TestSpoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 8, item 1: a string holding an unpaired UTF-16 surrogate, which has no UTF-8 form, over real Tomcat and real
 * clients. Dispatched, it reaches every subscriber escaped as {@code \\uXXXX} and closes nobody; sent by a spoke, it
 * is malformed input that is ignored, and closes nobody either.
 */
@SpringBootTest(classes = FanoutTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FanoutLoneSurrogateTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    private int port;

    @Autowired
    private WebSocketServerEventTarget hub;

    @Autowired
    private ChatListener chatListener;

    private TestSpokes spokes;

    @BeforeEach
    void connectSpokes() {
        await().atMost(WAIT).until(() -> this.hub.connectionCount() == 0);
        this.spokes = new TestSpokes(this.hub, this.port, WAIT);
    }

    @AfterEach
    void closeSpokes() {
        this.spokes.closeAll();
    }

    @Test
    void aDispatchedLoneSurrogateReachesEverySubscriberEscapedAndClosesNone() {
        List<TestSpoke> subscribers = List.of(this.spokes.connect("a"), this.spokes.connect("b"),
                this.spokes.connect("c"));
        subscribers.forEach((spoke) -> spoke.subscribe("t"));
        this.spokes.awaitSubscribers("t", 3);

        this.hub.dispatchEvent(Event.of("t", Map.of("s", "bad\ud800x", "low", "\udc00")));
        this.hub.dispatchEvent(Event.of("t", "after"));

        for (TestSpoke spoke : subscribers) {
            await().atMost(WAIT).until(() -> spoke.messages().size() == 2);
            assertThat(JSON.readTree(spoke.messages().get(0)).path("payload").path("s").stringValue())
                .isEqualTo("bad\ud800x");
            assertThat(JSON.readTree(spoke.messages().get(0)).path("payload").path("low").stringValue())
                .isEqualTo("\udc00");
            assertThat(spoke.messages().get(1)).isEqualTo("{\"type\":\"t\",\"payload\":\"after\"}");
            assertThat(spoke.isClosed()).isFalse();
        }
        assertThat(this.hub.topicSubscriberCounts()).containsEntry("t", 3);
    }

    @Test
    void aSpokeMessageWithALoneSurrogateIsIgnoredAndClosesNobody() {
        TestSpoke subscriber = this.spokes.connect("subscriber");
        subscriber.subscribe("chat-ack");
        TestSpoke eve = this.spokes.connect("eve");
        eve.subscribe("chat-ack");
        this.spokes.awaitSubscribers("chat-ack", 2);
        int chatsBefore = this.chatListener.received.size();

        eve.sendText("{\"type\":\"chat\",\"id\":\"1\",\"payload\":{\"text\":\"hi\\udc00\"}}");
        eve.sendText("{\"type\":\"chat\",\"id\":\"2\",\"payload\":{\"text\":\"fine\"}}");

        await().atMost(WAIT).until(() -> eve.messages().size() == 1);
        assertThat(eve.messages()).containsExactly("{\"type\":\"chat-ack\",\"id\":\"2\",\"payload\":\"FINE\"}");
        assertThat(this.chatListener.received).hasSize(chatsBefore + 1);
        assertThat(eve.isClosed()).isFalse();
        assertThat(subscriber.isClosed()).isFalse();
        assertThat(this.hub.topicSubscriberCounts()).containsEntry("chat-ack", 2);
    }
}
