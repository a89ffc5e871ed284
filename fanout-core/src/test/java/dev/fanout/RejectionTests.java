package dev.fanout;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import dev.fanout.testing.InMemoryRawSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RejectionTests {

    private final WebSocketServerEventTarget hub = WebSocketServerEventTarget.create();

    private final InMemoryRawSocket socket = new InMemoryRawSocket("spoke");

    private final InMemoryRawSocket bystander = new InMemoryRawSocket("bystander");

    @Test
    void aListenerRejectingAnEventWithAnIdSendsTheSenderAnErrorWithThatIdAndTheAppsCode() {
        this.hub.addConnection(this.socket);
        this.hub.addConnection(this.bystander);
        this.hub.addSpokeEventListener("chat", (event, from) -> from.reject(event, "too_long", "at most 10 chars"));

        this.socket.receiveText(Frames.event("chat", "m1", "far too long a message"));

        assertThat(this.socket.sentMessages()).singleElement().satisfies((frame) -> {
            JsonNode reply = Frames.parse(frame);
            assertThat(reply.get("type").stringValue()).isEqualTo("__error");
            assertThat(reply.get("id").stringValue()).isEqualTo("m1");
            assertThat(reply.at("/payload/topic").stringValue()).isEqualTo("chat");
            assertThat(reply.at("/payload/code").stringValue()).isEqualTo("too_long");
            assertThat(reply.at("/payload/message").stringValue()).isEqualTo("at most 10 chars");
        });
        assertThat(this.bystander.sentMessages()).isEmpty();
        assertThat(this.socket.isOpen()).isTrue();
    }

    @Test
    void rejectingAnEventWithoutAnIdSendsNothing() {
        this.hub.addConnection(this.socket);
        this.hub.addSpokeEventListener("chat", (event, from) -> from.reject(event, "too_long", "at most 10 chars"));

        this.socket.receiveText(Frames.event("chat", "far too long a message"));

        assertThat(this.socket.sentMessages()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "Forbidden", "9lives", "_x", "with space", "dash-ed", "dot.ted", "ünï",
        "a23456789012345678901234567890123456789012345678901234567890abcde" })
    void aCodeOutsideTheDocumentedCharsetIsRefusedWithIllegalArgument(String code) {
        SpokeEventTarget spoke = this.hub.addConnection(this.socket);

        assertThatIllegalArgumentException().isThrownBy(() -> spoke.reject(Event.of("chat", "m1", null), code, "no"));
        assertThat(this.socket.sentMessages()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = { "a", "forbidden", "too_long", "x9", "rate_limited_2" })
    void codesOfLowercaseLettersDigitsAndUnderscoresStartingWithALetterAreValid(String code) {
        assertThat(ErrorCodes.isValid(code)).isTrue();
    }

    @Test
    void rejectingAfterTheSpokeDisconnectedSendsNothing() {
        SpokeEventTarget spoke = this.hub.addConnection(this.socket);
        this.socket.closeFromPeer(1000, "bye");

        spoke.reject(Event.of("chat", "m1", null), "too_long", "at most 10 chars");

        assertThat(this.socket.sentMessages()).isEmpty();
    }
}
