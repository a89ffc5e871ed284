package dev.fanout.sample;

import java.util.Map;
import java.util.stream.Stream;

import dev.fanout.testing.TestSpoke;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "sample.feed.enabled=false", "sample.chat.max-user-length=8",
            "sample.chat.max-text-length=20" })
class ChatRoomTests {

    @LocalServerPort
    private int port;

    @Test
    void validChatMessageIsFannedOutTrimmedToEverySubscriberIncludingTheSender() {
        SampleApi api = new SampleApi(this.port);
        try (TestSpoke alice = TestSpoke.connect(this.port).subscribe("chat");
                TestSpoke bob = TestSpoke.connect(this.port).subscribe("chat")) {
            api.awaitSubscribers("chat", 2);

            alice.send("chat", Map.of("user", "  alice ", "text", " hello, bob  "));

            for (TestSpoke spoke : new TestSpoke[] { alice, bob }) {
                JsonNode payload = spoke.awaitEvent("chat").path("payload");
                assertThat(payload.path("user").stringValue("")).isEqualTo("alice");
                assertThat(payload.path("text").stringValue("")).isEqualTo("hello, bob");
                assertThat(payload.path("sentAt").asLong(0)).isPositive();
            }
        }
    }

    @Test
    void chatMessagesAtExactlyTheLengthLimitsAreAccepted() {
        SampleApi api = new SampleApi(this.port);
        try (TestSpoke spoke = TestSpoke.connect(this.port).subscribe("chat")) {
            api.awaitSubscribers("chat", 1);

            spoke.send("chat", Map.of("user", "u".repeat(8), "text", "t".repeat(20)));

            assertThat(spoke.awaitEvent("chat").path("payload").path("text").stringValue("")).hasSize(20);
        }
    }

    @Test
    void anInvalidMessageWithAnIdIsRefusedToItsSenderAloneWithTheReason() {
        SampleApi api = new SampleApi(this.port);
        try (TestSpoke sender = TestSpoke.connect(this.port).subscribe("chat");
                TestSpoke other = TestSpoke.connect(this.port).subscribe("chat")) {
            api.awaitSubscribers("chat", 2);

            sender.sendJson("{\"type\":\"chat\",\"id\":\"c1\",\"payload\":{\"user\":\"eve\",\"text\":\" \"}}");
            JsonNode refusal = sender.awaitReply("c1");

            assertThat(refusal.path("type").stringValue("")).isEqualTo("__error");
            assertThat(refusal.at("/payload/code").stringValue("")).isEqualTo(ChatRoom.INVALID_MESSAGE);
            assertThat(refusal.at("/payload/message").stringValue("")).contains("text is missing, blank");
            other.send("chat", Map.of("user", "bob", "text", "marker"));
            other.awaitEvent("chat");
            assertThat(other.received("__error")).isEmpty();
            assertThat(sender.isOpen()).isTrue();
        }
    }

    static Stream<Arguments> invalidChatMessages() {
        return Stream.of(
                arguments("missing user", "{\"type\":\"chat\",\"payload\":{\"text\":\"hi\"}}"),
                arguments("missing text", "{\"type\":\"chat\",\"payload\":{\"user\":\"eve\"}}"),
                arguments("blank user", "{\"type\":\"chat\",\"payload\":{\"user\":\"   \",\"text\":\"hi\"}}"),
                arguments("blank text", "{\"type\":\"chat\",\"payload\":{\"user\":\"eve\",\"text\":\" \\t \"}}"),
                arguments("text not a string", "{\"type\":\"chat\",\"payload\":{\"user\":\"eve\",\"text\":42}}"),
                arguments("user not a string", "{\"type\":\"chat\",\"payload\":{\"user\":[\"eve\"],\"text\":\"hi\"}}"),
                arguments("over-long text",
                        "{\"type\":\"chat\",\"payload\":{\"user\":\"eve\",\"text\":\"" + "t".repeat(21) + "\"}}"),
                arguments("over-long user",
                        "{\"type\":\"chat\",\"payload\":{\"user\":\"" + "u".repeat(9) + "\",\"text\":\"hi\"}}"),
                arguments("control character in user",
                        "{\"type\":\"chat\",\"payload\":{\"user\":\"e\\u0007ve\",\"text\":\"hi\"}}"),
                arguments("payload not an object", "{\"type\":\"chat\",\"payload\":\"hi\"}"),
                arguments("payload null", "{\"type\":\"chat\",\"payload\":null}"),
                arguments("no payload", "{\"type\":\"chat\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidChatMessages")
    void invalidChatMessageIsDroppedCountedAndNeverFannedOut(String problem, String frame) {
        SampleApi api = new SampleApi(this.port);
        try (TestSpoke listener = TestSpoke.connect(this.port).subscribe("chat");
                TestSpoke sender = TestSpoke.connect(this.port).subscribe("chat")) {
            api.awaitSubscribers("chat", 2);
            double invalidBefore = api.metric(ChatRoom.INVALID_MESSAGES);

            sender.sendJson(frame);
            sender.send("chat", Map.of("user", "marker", "text", "after"));

            listener.awaitEvent("chat");
            assertThat(listener.received("chat")).extracting((event) -> event.path("payload").path("user"))
                    .extracting((user) -> user.stringValue(""))
                    .containsExactly("marker");
            assertThat(api.metric(ChatRoom.INVALID_MESSAGES) - invalidBefore).isEqualTo(1);
            assertThat(sender.isOpen()).isTrue();
        }
    }

    @Test
    void chatEventsFromSpokesAreCountedAsReceived() {
        SampleApi api = new SampleApi(this.port);
        try (TestSpoke spoke = TestSpoke.connect(this.port).subscribe("chat")) {
            api.awaitSubscribers("chat", 1);
            double receivedBefore = api.metric("fanout.events.received");

            spoke.send("chat", Map.of("user", "carol", "text", "one"));
            spoke.sendJson("{\"type\":\"chat\"}");
            spoke.send("chat", Map.of("user", "carol", "text", "two"));

            spoke.awaitEvent((event) -> "two".equals(event.path("payload").path("text").stringValue("")));
            assertThat(api.metric("fanout.events.received") - receivedBefore).isEqualTo(3);
        }
    }
}
