package dev.fanout;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.fanout.testing.InMemoryRawSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 8, item 3: duplicate member names are malformed, and the topic rule refuses invisible format characters and
 * unpaired surrogates while allowing letters of every script.
 */
class InputHygieneTests {

    private final WebSocketServerEventTarget hub = WebSocketServerEventTarget.create();

    private final InMemoryRawSocket socket = new InMemoryRawSocket("spoke");

    private final SpokeEventTarget spoke = this.hub.addConnection(this.socket);

    @Test
    void aMessageWithADuplicateTypeIsMalformedAndDoesNotSubscribe() {
        try (LogCapture log = LogCapture.ofHub()) {
            this.socket.receiveText("{\"type\":\"a\",\"type\":\"__subscribe\",\"payload\":{\"topic\":\"t\"}}");

            assertThat(log.atLevel(Level.WARN)).singleElement()
                .satisfies((line) -> assertThat(line.getFormattedMessage()).contains("malformed JSON", "Duplicate"));
        }
        assertThat(this.spoke.subscriptions()).isEmpty();
        assertThat(this.socket.isOpen()).isTrue();
    }

    @Test
    void duplicateMemberNamesAnywhereInAMessageMakeItMalformed() {
        List<Event> received = new CopyOnWriteArrayList<>();
        this.hub.addEventListener("chat", received::add);

        this.socket.receiveText("{\"type\":\"__subscribe\",\"payload\":{\"topic\":\"a\",\"topic\":\"b\"}}");
        this.socket.receiveBinary(Frames.utf8("{\"type\":\"chat\",\"payload\":{\"user\":\"eve\",\"user\":\"bob\"}}"));
        this.socket.receiveText("{\"type\":\"chat\",\"id\":\"1\",\"id\":\"2\"}");
        this.socket.receiveText("{\"type\":\"chat\",\"payload\":{\"user\":\"eve\"}}");

        assertThat(this.spoke.subscriptions()).isEmpty();
        assertThat(received).singleElement()
            .satisfies((event) -> assertThat(event.payload()).hasToString("{\"user\":\"eve\"}"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "news\u200b", "\u200dnews", "ne\u200cws", "news\u202e", "\u2066news\u2069", "\ufeffnews",
        "new\u00ads", "news\u2060", "news\udb40\udc01", "news\ud800", "\udc00news", "ne\udc00\ud800ws" })
    void topicsWithInvisibleFormatCharactersOrUnpairedSurrogatesAreRefused(String topic) {
        this.socket.receiveText(Frames.subscribe(topic));
        this.socket.receiveText(Frames.event(topic, "spoofed"));

        assertThat(this.spoke.subscriptions()).isEmpty();
        assertThat(this.hub.topicSubscriberCounts()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = { "news", "новости", "ειδήσεις", "أخبار", "חדשות", "समाचार", "ข่าว", "뉴스", "新闻", "ニュース",
        "ᏗᏕᎶᏆᏍᏗ", "news.\ud83d\ude00", "\ud840\udc00", "café.noël" })
    void topicsInLettersOfEveryScriptAreSubscribed(String topic) {
        this.socket.receiveText(Frames.subscribe(topic));

        assertThat(this.spoke.subscriptions()).containsExactly(topic);
    }
}
