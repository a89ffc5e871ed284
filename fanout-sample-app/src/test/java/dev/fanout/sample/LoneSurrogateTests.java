package dev.fanout.sample;

import java.net.http.HttpResponse;
import java.util.List;

import dev.fanout.client.ConnectionStateChange;
import dev.fanout.client.WebSocketClientEventTarget;
import dev.fanout.testing.TestSpoke;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 8, item 1, over the real sample app: the two one-message attacks with an unpaired UTF-16 surrogate that used
 * to close every subscriber of a topic with 1011. The subscribers are fanout's Java client; the attacker writes its
 * frame by hand.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.feed.enabled=false")
class LoneSurrogateTests {

    @LocalServerPort
    private int port;

    @Test
    void aChatMessageWithALoneSurrogateIsIgnoredAndTheRoomStaysConnected() {
        SampleApi api = new SampleApi(this.port);
        try (WebSocketClientEventTarget alice = WebSocketClientEventTarget.connect(api.hub());
                WebSocketClientEventTarget bob = WebSocketClientEventTarget.connect(api.hub());
                TestSpoke eve = TestSpoke.connect(this.port)) {
            List<Inbox> room = List.of(Inbox.subscribe(alice, "chat"), Inbox.subscribe(bob, "chat"));
            List<List<ConnectionStateChange>> roomChanges = List.of(Transitions.from(alice), Transitions.from(bob));

            eve.sendJson("{\"type\":\"chat\",\"payload\":{\"user\":\"eve\",\"text\":\"hi\\udc00\"}}");
            eve.sendJson("{\"type\":\"chat\",\"payload\":{\"user\":\"eve\",\"text\":\"after\"}}");

            for (Inbox chat : room) {
                assertThat(chat.awaitFirst().payloadAs(ChatMessage.class).text()).isEqualTo("after");
                assertThat(chat.events()).hasSize(1);
            }
            assertThat(eve.isOpen()).isTrue();
            assertThat(api.subscribers("chat")).isEqualTo(2);
            assertThat(roomChanges).as("both stayed connected").allSatisfy((changes) -> assertThat(changes).isEmpty());
        }
    }

    @Test
    void aPublishedLoneSurrogateReachesEverySubscriberExactlyAndClosesNone() {
        SampleApi api = new SampleApi(this.port);
        try (WebSocketClientEventTarget first = WebSocketClientEventTarget.connect(api.hub());
                WebSocketClientEventTarget second = WebSocketClientEventTarget.connect(api.hub())) {
            List<Inbox> subscribers = List.of(Inbox.subscribe(first, "t"), Inbox.subscribe(second, "t"));
            List<List<ConnectionStateChange>> subscriberChanges = List.of(Transitions.from(first),
                    Transitions.from(second));

            HttpResponse<String> response = api.publish("t", "{\"s\":\"bad\\ud800x\"}");

            assertThat(response.statusCode()).isEqualTo(202);
            for (Inbox inbox : subscribers) {
                assertThat(inbox.awaitFirst().payloadAs(JsonNode.class).path("s").stringValue(""))
                    .isEqualTo("bad\ud800x");
            }
            assertThat(api.subscribers("t")).isEqualTo(2);
            assertThat(subscriberChanges).as("both stayed connected")
                .allSatisfy((changes) -> assertThat(changes).isEmpty());
        }
    }
}
