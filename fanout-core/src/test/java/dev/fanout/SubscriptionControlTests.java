package dev.fanout;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import ch.qos.logback.classic.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.fanout.testing.InMemoryRawSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class SubscriptionControlTests {

    private static final int MAX_TOPIC_LENGTH = 16;

    private static final int MAX_SUBSCRIPTIONS = 3;

    private final WebSocketServerEventTarget hub = WebSocketServerEventTarget.create(WebSocketServerOptions.builder()
        .maxTopicLength(MAX_TOPIC_LENGTH)
        .maxSubscriptionsPerConnection(MAX_SUBSCRIPTIONS)
        .build());

    private final InMemoryRawSocket socket = new InMemoryRawSocket("spoke");

    private final SpokeEventTarget spoke = this.hub.addConnection(this.socket);

    @Test
    void subscribeAddsTheConnectionToTheTopicsSubscriberSet() {
        this.socket.receiveText(Frames.subscribe("news"));
        this.hub.dispatchEvent(Event.of("news"));

        assertThat(this.spoke.subscriptions()).containsExactly("news");
        assertThat(this.hub.topicSubscriberCounts()).containsExactly(entry("news", 1));
        assertThat(this.socket.sentMessages()).containsExactly("{\"type\":\"news\"}");
    }

    @Test
    void unsubscribeRemovesTheConnectionFromTheTopicsSubscriberSet() {
        this.socket.receiveText(Frames.subscribe("news"));
        this.socket.receiveText(Frames.subscribe("weather"));

        this.socket.receiveText(Frames.unsubscribe("news"));
        this.hub.dispatchEvent(Event.of("news"));

        assertThat(this.spoke.subscriptions()).containsExactly("weather");
        assertThat(this.hub.topicSubscriberCounts()).containsExactly(entry("weather", 1));
        assertThat(this.socket.sentMessages()).isEmpty();
    }

    @Test
    void aDuplicateSubscribeIsIdempotent() {
        this.socket.receiveText(Frames.subscribe("news"));
        this.socket.receiveText(Frames.subscribe("news"));
        this.hub.dispatchEvent(Event.of("news"));

        assertThat(this.spoke.subscriptions()).containsExactly("news");
        assertThat(this.hub.topicSubscriberCounts()).containsExactly(entry("news", 1));
        assertThat(this.socket.sentMessages()).hasSize(1);
    }

    @Test
    void unsubscribingATopicNeverSubscribedIsANoOp() {
        this.socket.receiveText(Frames.subscribe("news"));

        this.socket.receiveText(Frames.unsubscribe("weather"));

        assertThat(this.spoke.subscriptions()).containsExactly("news");
        assertThat(this.hub.topicSubscriberCounts()).containsExactly(entry("news", 1));
        assertThat(this.socket.isOpen()).isTrue();
    }

    @Test
    void aControlEventWithAStringIdIsAcknowledgedAndOneWithANonStringIdStaysSilentAsInProtocol1() {
        this.socket.receiveText("{\"type\":\"__subscribe\",\"id\":\"abc\",\"payload\":{\"topic\":\"news\"}}");
        this.socket.receiveText("{\"type\":\"__subscribe\",\"id\":17,\"payload\":{\"topic\":\"weather\"}}");

        assertThat(this.spoke.subscriptions()).containsExactlyInAnyOrder("news", "weather");
        assertThat(this.socket.sentMessages())
            .containsExactly("{\"type\":\"__ack\",\"id\":\"abc\",\"payload\":{\"topic\":\"news\"}}");
    }

    @Test
    void aSubscriberCountIsKeptPerTopicAcrossConnections() {
        InMemoryRawSocket other = new InMemoryRawSocket("other");
        this.hub.addConnection(other);

        this.socket.receiveText(Frames.subscribe("news"));
        other.receiveText(Frames.subscribe("news"));
        other.receiveText(Frames.subscribe("alerts"));

        assertThat(this.hub.topicSubscriberCounts()).containsExactly(entry("alerts", 1), entry("news", 2));
    }

    @Test
    void aTopicOfExactlyTheMaximumLengthIsAccepted() {
        String longest = "t".repeat(MAX_TOPIC_LENGTH);

        this.socket.receiveText(Frames.subscribe(longest));

        assertThat(this.spoke.subscriptions()).containsExactly(longest);
    }

    @Test
    void topicsMayUseNonAsciiLettersAndPunctuation() {
        List<String> topics = List.of("prices/€", "天気", "a.b-c_d:e");

        topics.forEach((topic) -> this.socket.receiveText(Frames.subscribe(topic)));

        assertThat(this.spoke.subscriptions()).containsExactlyInAnyOrderElementsOf(topics);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidTopics")
    void aControlEventWithAnInvalidTopicIsIgnoredLoggedAtDebugAndChangesNothing(String description, String frame) {
        this.socket.receiveText(Frames.subscribe("kept"));
        List<Event> received = new CopyOnWriteArrayList<>();
        this.hub.addEventListener("kept", received::add);

        try (LogCapture log = LogCapture.ofHub()) {
            this.socket.receiveText(frame);
            this.socket.receiveText(frame.replace("__subscribe", "__unsubscribe"));

            assertThat(log.atLevel(Level.DEBUG)).hasSize(2);
            assertThat(log.atLevel(Level.WARN)).isEmpty();
        }
        assertThat(this.spoke.subscriptions()).containsExactly("kept");
        assertThat(this.hub.topicSubscriberCounts()).containsExactly(entry("kept", 1));
        assertThat(this.socket.isOpen()).isTrue();
        assertThat(received).isEmpty();
    }

    static Stream<Arguments> invalidTopics() {
        return Stream.of(Arguments.of("a number", Frames.subscribe(42)),
                Arguments.of("a boolean", Frames.subscribe(true)),
                Arguments.of("JSON null", "{\"type\":\"__subscribe\",\"payload\":{\"topic\":null}}"),
                Arguments.of("an object", Frames.subscribe(Map.of("name", "news"))),
                Arguments.of("an array", Frames.subscribe(List.of("news"))),
                Arguments.of("missing", "{\"type\":\"__subscribe\",\"payload\":{}}"),
                Arguments.of("no payload", "{\"type\":\"__subscribe\"}"),
                Arguments.of("a payload that is not an object", "{\"type\":\"__subscribe\",\"payload\":\"news\"}"),
                Arguments.of("empty", Frames.subscribe("")),
                Arguments.of("one char too long", Frames.subscribe("t".repeat(MAX_TOPIC_LENGTH + 1))),
                Arguments.of("far too long", Frames.subscribe("t".repeat(100_000))),
                Arguments.of("a space", Frames.subscribe("breaking news")),
                Arguments.of("a leading space", Frames.subscribe(" news")),
                Arguments.of("a tab", Frames.subscribe("news\t")),
                Arguments.of("a newline", Frames.subscribe("news\nfeed")),
                Arguments.of("a no-break space", Frames.subscribe("news\u00a0feed")),
                Arguments.of("an em space", Frames.subscribe("news\u2003feed")),
                Arguments.of("a line separator", Frames.subscribe("news\u2028feed")),
                Arguments.of("a NUL", Frames.subscribe("news\u0000")),
                Arguments.of("a BEL", Frames.subscribe("\u0007news")),
                Arguments.of("a DEL", Frames.subscribe("news\u007f")),
                Arguments.of("a C1 control", Frames.subscribe("news\u0085")),
                Arguments.of("the reserved prefix __", Frames.subscribe("__news")),
                Arguments.of("the control type itself", Frames.subscribe("__subscribe")));
    }

    @Test
    void aSubscribeBeyondTheSubscriptionLimitIsIgnoredAndLogged() {
        IntStream.range(0, MAX_SUBSCRIPTIONS).forEach((n) -> this.socket.receiveText(Frames.subscribe("topic-" + n)));

        try (LogCapture log = LogCapture.ofHub()) {
            this.socket.receiveText(Frames.subscribe("one-too-many"));

            assertThat(log.atLevel(Level.WARN)).singleElement()
                .satisfies((line) -> assertThat(line.getFormattedMessage()).contains("one-too-many")
                    .contains("maximum of " + MAX_SUBSCRIPTIONS));
        }
        assertThat(this.spoke.subscriptions()).containsExactlyInAnyOrder("topic-0", "topic-1", "topic-2");
        assertThat(this.hub.topicSubscriberCounts()).doesNotContainKey("one-too-many");
        assertThat(this.socket.isOpen()).isTrue();
    }

    @Test
    void aDuplicateSubscribeAtTheLimitIsStillIdempotentAndAnUnsubscribeFreesASlot() {
        IntStream.range(0, MAX_SUBSCRIPTIONS).forEach((n) -> this.socket.receiveText(Frames.subscribe("topic-" + n)));

        try (LogCapture log = LogCapture.ofHub()) {
            this.socket.receiveText(Frames.subscribe("topic-0"));
            assertThat(log.atLevel(Level.WARN)).isEmpty();
        }
        this.socket.receiveText(Frames.unsubscribe("topic-0"));
        this.socket.receiveText(Frames.subscribe("fresh"));

        assertThat(this.spoke.subscriptions()).containsExactlyInAnyOrder("topic-1", "topic-2", "fresh");
    }

    @Test
    void theSubscriptionLimitIsPerConnection() {
        InMemoryRawSocket other = new InMemoryRawSocket("other");
        SpokeEventTarget otherSpoke = this.hub.addConnection(other);
        IntStream.range(0, MAX_SUBSCRIPTIONS).forEach((n) -> this.socket.receiveText(Frames.subscribe("topic-" + n)));

        IntStream.range(0, MAX_SUBSCRIPTIONS).forEach((n) -> other.receiveText(Frames.subscribe("topic-" + n)));

        assertThat(otherSpoke.subscriptions()).hasSize(MAX_SUBSCRIPTIONS);
    }
}
