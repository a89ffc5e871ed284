package dev.fanout.sample;

import dev.fanout.testing.TestSpoke;
import java.net.http.HttpResponse;

import dev.fanout.testing.TestSpoke;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 8, item 1, over the real sample app: the two one-message attacks with an unpaired UTF-16 surrogate that used
 * to close every subscriber of a topic with 1011.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.feed.enabled=false")
class LoneSurrogateTests {

    @LocalServerPort
    private int port;

    @Test
    void aChatMessageWithALoneSurrogateIsIgnoredAndTheRoomStaysConnected() {
        SampleApi api = new SampleApi(this.port);
        try (TestSpoke alice = TestSpoke.connect(this.port).subscribe("chat");
                TestSpoke bob = TestSpoke.connect(this.port).subscribe("chat");
                TestSpoke eve = TestSpoke.connect(this.port)) {
            api.awaitSubscribers("chat", 2);

            eve.sendJson("{\"type\":\"chat\",\"payload\":{\"user\":\"eve\",\"text\":\"hi\\udc00\"}}");
            eve.sendJson("{\"type\":\"chat\",\"payload\":{\"user\":\"eve\",\"text\":\"after\"}}");

            for (TestSpoke spoke : new TestSpoke[] { alice, bob }) {
                JsonNode chat = spoke.awaitEvent("chat");
                assertThat(chat.path("payload").path("text").stringValue("")).isEqualTo("after");
                assertThat(spoke.received("chat")).hasSize(1);
                assertThat(spoke.isOpen()).isTrue();
            }
            assertThat(eve.isOpen()).isTrue();
            assertThat(api.subscribers("chat")).isEqualTo(2);
        }
    }

    @Test
    void aPublishedLoneSurrogateReachesEverySubscriberExactlyAndClosesNone() {
        SampleApi api = new SampleApi(this.port);
        try (TestSpoke first = TestSpoke.connect(this.port).subscribe("t");
                TestSpoke second = TestSpoke.connect(this.port).subscribe("t")) {
            api.awaitSubscribers("t", 2);

            HttpResponse<String> response = api.publish("t", "{\"s\":\"bad\\ud800x\"}");

            assertThat(response.statusCode()).isEqualTo(202);
            for (TestSpoke spoke : new TestSpoke[] { first, second }) {
                assertThat(spoke.awaitEvent("t").path("payload").path("s").stringValue("")).isEqualTo("bad\ud800x");
                assertThat(spoke.isOpen()).isTrue();
            }
            assertThat(api.subscribers("t")).isEqualTo(2);
        }
    }
}
