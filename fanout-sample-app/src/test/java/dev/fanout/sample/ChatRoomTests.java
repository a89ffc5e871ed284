package dev.fanout.sample;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.fanout.Event;
import dev.fanout.client.ConnectionStateChange;
import dev.fanout.client.WebSocketClientEventTarget;
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

/**
 * The sample's chat room over a real hub. Its spokes are fanout's Java client; the invalid frames are written by a raw
 * WebSocket spoke, because no well-behaved client would send them.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "sample.feed.enabled=false", "sample.chat.max-user-length=8",
            "sample.chat.max-text-length=20" })
class ChatRoomTests {

    @LocalServerPort
    private int port;

    @Test
    void validChatMessageIsFannedOutTrimmedToEverySubscriberIncludingTheSender() {
        URI hub = new SampleApi(this.port).hub();
        try (WebSocketClientEventTarget alice = WebSocketClientEventTarget.connect(hub);
                WebSocketClientEventTarget bob = WebSocketClientEventTarget.connect(hub)) {
            List<Inbox> inboxes = List.of(Inbox.subscribe(alice, "chat"), Inbox.subscribe(bob, "chat"));

            alice.dispatchEvent(Event.of("chat", Map.of("user", "  alice ", "text", " hello, bob  ")));

            for (Inbox inbox : inboxes) {
                ChatMessage message = inbox.awaitFirst().payloadAs(ChatMessage.class);
                assertThat(message.user()).isEqualTo("alice");
                assertThat(message.text()).isEqualTo("hello, bob");
                assertThat(message.sentAt()).isPositive();
            }
        }
    }

    @Test
    void chatMessagesAtExactlyTheLengthLimitsAreAccepted() {
        try (WebSocketClientEventTarget spoke = WebSocketClientEventTarget.connect(new SampleApi(this.port).hub())) {
            Inbox chat = Inbox.subscribe(spoke, "chat");

            spoke.dispatchEvent(Event.of("chat", Map.of("user", "u".repeat(8), "text", "t".repeat(20))));

            assertThat(chat.awaitFirst().payloadAs(ChatMessage.class).text()).hasSize(20);
        }
    }

    @Test
    void anInvalidMessageWithAnIdIsRefusedToItsSenderAloneWithTheReason() {
        URI hub = new SampleApi(this.port).hub();
        try (WebSocketClientEventTarget sender = WebSocketClientEventTarget.connect(hub);
                WebSocketClientEventTarget other = WebSocketClientEventTarget.connect(hub)) {
            Inbox.subscribe(sender, "chat");
            Inbox senderRefusals = Inbox.listen(sender, "__error");
            Inbox otherChat = Inbox.subscribe(other, "chat");
            Inbox otherRefusals = Inbox.listen(other, "__error");
            List<ConnectionStateChange> senderChanges = Transitions.from(sender);

            sender.dispatchEvent(Event.of("chat", "c1", Map.of("user", "eve", "text", " ")));
            Event refusal = senderRefusals.awaitFirst();

            assertThat(refusal.id()).isEqualTo("c1");
            JsonNode reason = refusal.payloadAs(JsonNode.class);
            assertThat(reason.path("code").stringValue("")).isEqualTo(ChatRoom.INVALID_MESSAGE);
            assertThat(reason.path("message").stringValue("")).contains("text is missing, blank");
            other.dispatchEvent(Event.of("chat", Map.of("user", "bob", "text", "marker")));
            otherChat.awaitFirst();
            assertThat(otherRefusals.events()).isEmpty();
            assertThat(senderChanges).as("the sender's connection stayed open").isEmpty();
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
        try (WebSocketClientEventTarget spoke = WebSocketClientEventTarget.connect(api.hub())) {
            Inbox chat = Inbox.subscribe(spoke, "chat");
            double receivedBefore = api.metric("fanout.events.received");

            spoke.dispatchEvent(Event.of("chat", Map.of("user", "carol", "text", "one")));
            spoke.dispatchEvent(Event.of("chat"));
            spoke.dispatchEvent(Event.of("chat", Map.of("user", "carol", "text", "two")));

            chat.awaitEvent((event) -> "two".equals(event.payloadAs(ChatMessage.class).text()));
            assertThat(api.metric("fanout.events.received") - receivedBefore).isEqualTo(3);
        }
    }
}
