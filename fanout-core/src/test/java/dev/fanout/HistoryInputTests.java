package dev.fanout;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.fanout.testing.InMemoryRawSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A malformed history request in a {@code __subscribe} (docs/protocol.md, "History and recovery"): with an id it is
 * answered {@code invalid_request}; without one it is ignored as in protocol 1. Either way the subscribe is not
 * carried out and the connection stays open.
 */
class HistoryInputTests {

    private final WebSocketServerEventTarget hub = WebSocketServerEventTarget.create(WebSocketServerOptions.builder()
        .history(HistoryOptions.of(List.of(new HistoryRule("chat", 10, Duration.ofMinutes(1)))))
        .build());

    private final InMemoryRawSocket socket = new InMemoryRawSocket("spoke");

    private final SpokeEventTarget spoke = this.hub.addConnection(this.socket);

    @ParameterizedTest
    @ValueSource(strings = { "\"e\"", "1", "[]", "{}", "{\"epoch\":\"e\"}", "{\"offset\":1}", "{\"epoch\":1,\"offset\":1}",
            "{\"epoch\":\"\",\"offset\":1}", "{\"epoch\":\"e\",\"offset\":-1}", "{\"epoch\":\"e\",\"offset\":1.5}",
            "{\"epoch\":\"e\",\"offset\":\"1\"}", "{\"epoch\":\"e\",\"offset\":99999999999999999999999}",
            "{\"epoch\":\"e\",\"offset\":null}" })
    void aMalformedSinceIsAnsweredInvalidRequestAndTheSubscribeIsNotCarriedOut(String since) {
        this.socket.receiveText("{\"type\":\"__subscribe\",\"id\":\"r1\",\"payload\":{\"topic\":\"chat\",\"since\":"
                + since + "}}");

        assertThat(this.socket.sentMessages()).extracting(Frames::replySummary)
            .containsExactly("__error:r1:invalid_request");
        assertThat(this.spoke.subscriptions()).isEmpty();
        assertThat(this.socket.isOpen()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = { "1", "\"true\"", "[]", "{}" })
    void aNonBooleanLatestIsAnsweredInvalidRequest(String latest) {
        this.socket.receiveText("{\"type\":\"__subscribe\",\"id\":\"r1\",\"payload\":{\"topic\":\"chat\",\"latest\":"
                + latest + "}}");

        assertThat(this.socket.sentMessages()).extracting(Frames::replySummary)
            .containsExactly("__error:r1:invalid_request");
        assertThat(this.spoke.subscriptions()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = { "\"since\":null", "\"latest\":null", "\"latest\":false" })
    void aNullSinceOrLatestIsAbsent(String member) {
        this.socket.receiveText("{\"type\":\"__subscribe\",\"id\":\"r1\",\"payload\":{\"topic\":\"chat\"," + member
                + "}}");

        assertThat(this.socket.sentMessages()).extracting(Frames::replySummary).containsExactly("__ack:r1");
        assertThat(this.spoke.subscriptions()).containsExactly("chat");
    }

    @ParameterizedTest
    @ValueSource(strings = { "\"e\"", "{\"epoch\":\"e\",\"offset\":-1}" })
    void aMalformedSinceWithoutAnIdIsIgnoredAsInProtocol1(String since) {
        this.socket.receiveText("{\"type\":\"__subscribe\",\"payload\":{\"topic\":\"chat\",\"since\":" + since + "}}");
        this.hub.dispatchEvent(Event.of("chat", Map.of("n", 1)));

        assertThat(this.socket.sentMessages()).isEmpty();
        assertThat(this.socket.isOpen()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"epoch\":\"e\",\"offset\":1}", "\"garbage\"" })
    void anUnsubscribeIgnoresHistoryMembers(String since) {
        this.socket.receiveText(Frames.subscribe("chat"));
        this.socket.receiveText("{\"type\":\"__unsubscribe\",\"id\":\"u1\",\"payload\":{\"topic\":\"chat\",\"since\":"
                + since + "}}");

        assertThat(this.socket.sentMessages()).extracting(Frames::replySummary).containsExactly("__ack:u1");
        assertThat(this.spoke.subscriptions()).isEmpty();
    }
}
