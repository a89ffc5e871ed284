package dev.fanout;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.fanout.testing.InMemoryRawSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class InboundMessageTests {

    private final WebSocketServerEventTarget hub = WebSocketServerEventTarget.create();

    private final InMemoryRawSocket socket = new InMemoryRawSocket("spoke");

    private final SpokeEventTarget spoke = this.hub.addConnection(this.socket);

    private final List<Event> received = new CopyOnWriteArrayList<>();

    InboundMessageTests() {
        this.socket.receiveText(Frames.subscribe("kept"));
        for (String type : List.of("chat", "kept", "__subscribe", "__unsubscribe", "__ping", "bad type")) {
            this.hub.addEventListener(type, this.received::add);
            this.spoke.addEventListener(type, this.received::add);
        }
    }

    @ParameterizedTest(name = "{0} as text")
    @MethodSource("unusableMessages")
    void anUnusableTextMessageIsIgnoredAndLoggedAndTheConnectionStaysOpenAndUnchanged(String description,
            String message) {
        try (LogCapture log = LogCapture.ofHub()) {
            this.socket.receiveText(message);

            assertThat(log.events()).singleElement()
                .satisfies((line) -> assertThat(line.getFormattedMessage()).startsWith("Ignored a message from"));
        }
        assertStateUnchanged();
    }

    @ParameterizedTest(name = "{0} as binary")
    @MethodSource("unusableMessages")
    void anUnusableBinaryMessageIsIgnoredAndLoggedAndTheConnectionStaysOpenAndUnchanged(String description,
            String message) {
        try (LogCapture log = LogCapture.ofHub()) {
            this.socket.receiveBinary(Frames.utf8(message));

            assertThat(log.events()).singleElement()
                .satisfies((line) -> assertThat(line.getFormattedMessage()).startsWith("Ignored a message from"));
        }
        assertStateUnchanged();
    }

    static Stream<Arguments> unusableMessages() {
        return Stream.of(Arguments.of("malformed JSON", "{\"type\":\"chat\""),
                Arguments.of("plain text", "hello hub"), Arguments.of("an empty message", ""),
                Arguments.of("only whitespace", " \n\t "),
                Arguments.of("an object followed by garbage", "{\"type\":\"chat\"} trailing"),
                Arguments.of("two objects", "{\"type\":\"chat\"}{\"type\":\"chat\"}"),
                Arguments.of("a JSON array", "[{\"type\":\"chat\"}]"), Arguments.of("a JSON string", "\"chat\""),
                Arguments.of("a JSON number", "42"), Arguments.of("JSON null", "null"),
                Arguments.of("JSON true", "true"), Arguments.of("an object without type", "{\"payload\":1}"),
                Arguments.of("a numeric type", "{\"type\":7}"), Arguments.of("a null type", "{\"type\":null}"),
                Arguments.of("an object type", "{\"type\":{\"name\":\"chat\"}}"),
                Arguments.of("an array type", "{\"type\":[\"chat\"]}"),
                Arguments.of("an empty type", "{\"type\":\"\"}"),
                Arguments.of("a type with whitespace", "{\"type\":\"bad type\"}"),
                Arguments.of("an unknown control type", "{\"type\":\"__ping\",\"payload\":{\"topic\":\"kept\"}}"),
                Arguments.of("a bare control prefix", "{\"type\":\"__\"}"),
                Arguments.of("a non-string id", "{\"type\":\"chat\",\"id\":5,\"payload\":1}"),
                Arguments.of("nesting deeper than Jackson allows", "[".repeat(5_000) + "]".repeat(5_000)));
    }

    @Test
    void binaryMessagesThatAreNotUtf8AreIgnored() {
        byte[] latin1 = "{\"type\":\"chat\",\"payload\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);

        this.socket.receiveBinary(latin1);
        this.socket.receiveBinary(new byte[] { (byte) 0xff, (byte) 0xfe, (byte) 0xfd });
        this.socket.receiveBinary(new byte[0]);

        assertStateUnchanged();
    }

    @Test
    void binaryUtf8JsonFramesAreAcceptedLikeTextFrames() {
        this.socket.receiveBinary(Frames.utf8(Frames.subscribe("天気")));
        this.socket.receiveBinary(Frames.utf8(Frames.event("chat", "b1", "caf\u00e9 \uD83D\uDE00")));

        assertThat(this.spoke.subscriptions()).containsExactlyInAnyOrder("kept", "天気");
        assertThat(this.received).hasSize(2)
            .allSatisfy((event) -> assertThat(event.payloadAs(String.class)).isEqualTo("caf\u00e9 \uD83D\uDE00"));
        this.socket.receiveBinary(Frames.utf8(Frames.unsubscribe("天気")));
        assertThat(this.spoke.subscriptions()).containsExactly("kept");
    }

    @Test
    void anEventWithANullIdAndNullPayloadArrivesWithoutThem() {
        this.socket.receiveText("{\"type\":\"chat\",\"id\":null,\"payload\":null}");

        assertThat(this.received).hasSize(2).allSatisfy((event) -> {
            assertThat(event.id()).isNull();
            assertThat(event.payload()).isNull();
        });
    }

    @Test
    void unknownFieldsOfAnEventAreIgnored() {
        this.socket.receiveText("{\"type\":\"chat\",\"extra\":[1,2],\"payload\":\"hi\"}");

        assertThat(this.received).hasSize(2)
            .allSatisfy((event) -> assertThat(event.payloadAs(String.class)).isEqualTo("hi"));
    }

    @Test
    void tenThousandMalformedMessagesProduceOnlyACoupleOfWarnLines() {
        try (LogCapture log = LogCapture.ofHub()) {
            for (int i = 0; i < 10_000; i++) {
                if (i % 2 == 0) {
                    this.socket.receiveText("not json " + i);
                }
                else {
                    this.socket.receiveBinary(Frames.utf8("{\"type\":\"__x" + i + "\"}"));
                }
            }

            List<ILoggingEvent> warnings = log.atLevel(Level.WARN);
            assertThat(warnings).hasSizeBetween(1, 2);
            assertThat(warnings.get(0).getFormattedMessage()).contains("malformed JSON");
            assertThat(log.atLevel(Level.DEBUG)).hasSize(10_000 - warnings.size());
        }
        assertStateUnchanged();
    }

    @Test
    void logLinesAboutUnusableMessagesShowOnlyAnEscapedExcerpt() {
        String hostile = "\u001b[2K\r\nFAKE LOG LINE " + "x".repeat(10_000);

        try (LogCapture log = LogCapture.ofHub()) {
            this.socket.receiveText(hostile);

            assertThat(log.events()).singleElement().satisfies((line) -> {
                assertThat(line.getFormattedMessage()).doesNotContain("\n", "\r", "\u001b").hasSizeLessThan(400);
                assertThat(line.getFormattedMessage()).contains("\\u001b", "10020 chars");
            });
        }
    }

    @Test
    void logLinesAboutUnusableMessagesDoNotCarryControlCharactersFromTheParserMessage() {
        String hostile = "tru\u001b[2K\u0007e" + "x".repeat(5_000);

        try (LogCapture log = LogCapture.ofHub()) {
            this.socket.receiveText(hostile);
            this.socket.receiveBinary(Frames.utf8("{\"type\":\"chat\",\"payload\":nul\u001b[2Kl}"));

            assertThat(log.events()).hasSize(2)
                .allSatisfy((line) -> assertThat(line.getFormattedMessage()).doesNotContain("\u001b", "\u0007")
                    .hasSizeLessThan(600));
        }
    }

    private void assertStateUnchanged() {
        assertThat(this.socket.isOpen()).isTrue();
        assertThat(this.spoke.isConnected()).isTrue();
        assertThat(this.spoke.subscriptions()).containsExactly("kept");
        assertThat(this.hub.topicSubscriberCounts()).containsExactly(entry("kept", 1));
        assertThat(this.hub.connectionCount()).isOne();
        assertThat(this.received).isEmpty();
        assertThat(this.socket.sentMessages()).isEmpty();
    }
}
