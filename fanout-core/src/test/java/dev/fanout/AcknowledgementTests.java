package dev.fanout;

import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.fanout.testing.InMemoryRawSocket;

import static org.assertj.core.api.Assertions.assertThat;

class AcknowledgementTests {

    private static final int MAX_SUBSCRIPTIONS = 2;

    private final WebSocketServerEventTarget hub = WebSocketServerEventTarget.create(WebSocketServerOptions.builder()
        .maxSubscriptionsPerConnection(MAX_SUBSCRIPTIONS)
        .build());

    private final InMemoryRawSocket socket = new InMemoryRawSocket("spoke");

    private final SpokeEventTarget spoke = this.hub.addConnection(this.socket);

    @Test
    void aSubscribeWithAnIdIsAcknowledgedWithItsTopicOnceTheSubscriptionIsEffective() {
        this.socket.receiveText(Frames.subscribe("news", "s1"));

        assertThat(this.socket.sentMessages()).containsExactly(Frames.ack("s1", "news"));
        assertThat(this.spoke.subscriptions()).containsExactly("news");
    }

    @Test
    void aControlEventWithoutAnIdStaysSilentAsInProtocol1() {
        this.socket.receiveText(Frames.subscribe("news"));
        this.socket.receiveText(Frames.unsubscribe("news"));
        this.socket.receiveText(Frames.subscribe("bad topic"));
        this.socket.receiveText("{\"type\":\"__frobnicate\"}");

        assertThat(this.socket.sentMessages()).isEmpty();
    }

    @Test
    void anUnsubscribeWithAnIdIsAcknowledgedAlsoWhenTheTopicWasNotSubscribed() {
        this.socket.receiveText(Frames.subscribe("news"));

        this.socket.receiveText(Frames.unsubscribe("news", "u1"));
        this.socket.receiveText(Frames.unsubscribe("weather", "u2"));

        assertThat(this.socket.sentMessages()).containsExactly(Frames.ack("u1", "news"), Frames.ack("u2", "weather"));
        assertThat(this.spoke.subscriptions()).isEmpty();
    }

    @Test
    void aDuplicateSubscribeIsAcknowledgedAgain() {
        this.socket.receiveText(Frames.subscribe("news", "s1"));
        this.socket.receiveText(Frames.subscribe("news", "s2"));

        assertThat(this.socket.sentMessages()).containsExactly(Frames.ack("s1", "news"), Frames.ack("s2", "news"));
    }

    @Test
    void aSubscribeOfAnInvalidTopicWithAnIdGetsInvalidTopicWithTheTopicAndAPeopleMessage() {
        this.socket.receiveText(Frames.subscribe("bad topic", "s1"));

        JsonNode reply = Frames.parse(this.socket.sentMessages().get(0));
        assertThat(reply.get("type").stringValue()).isEqualTo("__error");
        assertThat(reply.get("id").stringValue()).isEqualTo("s1");
        assertThat(reply.at("/payload/topic").stringValue()).isEqualTo("bad topic");
        assertThat(reply.at("/payload/code").stringValue()).isEqualTo(ErrorCodes.INVALID_TOPIC);
        assertThat(reply.at("/payload/message").stringValue()).contains("whitespace");
        assertThat(this.spoke.subscriptions()).isEmpty();
        assertThat(this.socket.isOpen()).isTrue();
    }

    @Test
    void aControlEventWithoutATopicWithAnIdGetsInvalidTopicWithoutATopic() {
        this.socket.receiveText("{\"type\":\"__subscribe\",\"id\":\"s1\",\"payload\":{\"topic\":42}}");

        JsonNode reply = Frames.parse(this.socket.sentMessages().get(0));
        assertThat(Frames.replySummary(this.socket.sentMessages().get(0))).isEqualTo("__error:s1:invalid_topic");
        assertThat(reply.get("payload").has("topic")).isFalse();
    }

    @Test
    void aTopicLongerThanTheLimitIsNotEchoedBack() {
        this.socket.receiveText(Frames.subscribe("t".repeat(100_000), "s1"));

        assertThat(this.socket.sentMessages()).singleElement()
            .satisfies((reply) -> assertThat(reply).hasSizeLessThan(300));
        assertThat(Frames.replySummary(this.socket.sentMessages().get(0))).isEqualTo("__error:s1:invalid_topic");
    }

    @Test
    void aSubscribeBeyondTheLimitWithAnIdGetsSubscriptionLimit() {
        IntStream.range(0, MAX_SUBSCRIPTIONS).forEach((n) -> this.socket.receiveText(Frames.subscribe("topic-" + n)));

        this.socket.receiveText(Frames.subscribe("one-too-many", "s1"));

        assertThat(this.socket.sentMessages()).singleElement()
            .satisfies((reply) -> assertThat(Frames.replySummary(reply)).isEqualTo("__error:s1:subscription_limit"));
        assertThat(this.spoke.subscriptions()).doesNotContain("one-too-many");
    }

    @Test
    void anUnknownControlTypeWithAnIdGetsUnknownType() {
        this.socket.receiveText("{\"type\":\"__frobnicate\",\"id\":\"x1\",\"payload\":{\"topic\":\"news\"}}");

        assertThat(this.socket.sentMessages()).singleElement()
            .satisfies((reply) -> assertThat(Frames.replySummary(reply)).isEqualTo("__error:x1:unknown_type"));
    }

    @Test
    void anIdIsEchoedExactlyEvenWithQuotesAndNonAsciiCharacters() {
        String id = "a\"b\\c-天気-\u0001";

        this.socket.receiveText(Frames.subscribe("news", id));

        assertThat(Frames.parse(this.socket.sentMessages().get(0)).get("id").stringValue()).isEqualTo(id);
    }

    @Test
    void eventsOfTheTopicReachTheSpokeOnceItIsAcknowledged() {
        this.socket.receiveText(Frames.subscribe("news", "s1"));

        this.hub.dispatchEvent(Event.of("news", "hello"));

        assertThat(this.socket.sentMessages()).containsExactly(Frames.ack("s1", "news"),
                "{\"type\":\"news\",\"payload\":\"hello\"}");
    }
}
