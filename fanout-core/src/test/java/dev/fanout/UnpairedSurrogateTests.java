package dev.fanout;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Level;
import org.junit.jupiter.api.Test;

import dev.fanout.testing.InMemoryRawSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 8, item 1: unpaired UTF-16 surrogates, outbound and inbound, as docs/protocol.md states.
 */
class UnpairedSurrogateTests {

    private final WebSocketServerEventTarget hub = WebSocketServerEventTarget.create();

    private final InMemoryRawSocket subscriber = new InMemoryRawSocket("subscriber");

    private final InMemoryRawSocket eve = new InMemoryRawSocket("eve");

    @Test
    void anUnpairedSurrogateIsSentAsAJsonEscapeWhilePairsAndNoncharactersAreSentAsThemselves() {
        this.hub.addConnection(this.subscriber);
        this.subscriber.receiveText(Frames.subscribe("t"));

        this.hub.dispatchEvent(Event.of("t", "a\ud800b\udc00 \ud83d\ude00 \ufffe\uffff \udbff"));

        assertThat(this.subscriber.sentMessages())
            .containsExactly("{\"type\":\"t\",\"payload\":\"a\\ud800b\\udc00 \ud83d\ude00 \ufffe\uffff \\udbff\"}");
        assertThat(this.subscriber.isOpen()).isTrue();
    }

    @Test
    void anEventOfASpokeWithAnUnpairedSurrogateInAnyStringIsIgnoredAndLoggedAtWarn() {
        List<Event> received = new CopyOnWriteArrayList<>();
        this.hub.addEventListener("chat", received::add);
        SpokeEventTarget spoke = this.hub.addConnection(this.eve);

        try (LogCapture log = LogCapture.ofHub()) {
            this.eve.receiveText("{\"type\":\"chat\",\"payload\":{\"text\":\"hi\\udc00\"}}");
            this.eve.receiveText("{\"type\":\"chat\",\"payload\":{\"t\\ud800\":1}}");
            this.eve.receiveBinary(Frames.utf8("{\"type\":\"chat\",\"id\":\"\\udbff\"}"));
            this.eve.receiveText("{\"type\":\"__subscribe\",\"payload\":{\"topic\":\"t\\udc00\"}}");

            assertThat(log.atLevel(Level.WARN)).singleElement()
                .satisfies((line) -> assertThat(line.getFormattedMessage()).contains("unpaired UTF-16 surrogate"));
        }
        assertThat(received).isEmpty();
        assertThat(spoke.subscriptions()).isEmpty();
        assertThat(this.eve.isOpen()).isTrue();
    }

    @Test
    void noncharactersAndSupplementaryCharactersFromASpokeReachTheListenersUnchanged() {
        List<Event> received = new CopyOnWriteArrayList<>();
        this.hub.addEventListener("chat", received::add);
        this.hub.addConnection(this.eve);

        this.eve.receiveText("{\"type\":\"chat\",\"payload\":\"\\ufffe\\uffff\\ufdd0\\udbff\\udfff\ud83d\ude00\"}");

        assertThat(received).singleElement().satisfies((event) -> assertThat(event.payloadAs(String.class))
            .isEqualTo("\ufffe\uffff\ufdd0\udbff\udfff\ud83d\ude00"));
    }
}
