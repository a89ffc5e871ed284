package dev.fanout;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.fanout.testing.InMemoryRawSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class HistoryRuleTests {

    private static final Duration TTL = Duration.ofMinutes(1);

    @Test
    void aPatternWithoutAStarMatchesThatTopicOnly() {
        HistoryRule rule = new HistoryRule("chat", 10, TTL);

        assertThat(rule.matches("chat")).isTrue();
        assertThat(rule.matches("chat2")).isFalse();
        assertThat(rule.matches("cha")).isFalse();
    }

    @Test
    void aPatternEndingInAStarMatchesEveryTopicWithItsPrefix() {
        HistoryRule rule = new HistoryRule("prices.*", 10, TTL);

        assertThat(rule.matches("prices.ACME")).isTrue();
        assertThat(rule.matches("prices.eu.SAP")).isTrue();
        assertThat(rule.matches("prices.")).isTrue();
        assertThat(rule.matches("prices")).isFalse();
        assertThat(rule.matches("news.prices.ACME")).isFalse();
        assertThat(new HistoryRule("*", 1, TTL).matches("anything")).isTrue();
    }

    @Test
    void aRuleRejectsAStarBeforeTheEndAnEmptyPatternAndNonPositiveLimits() {
        assertThatIllegalArgumentException().isThrownBy(() -> new HistoryRule("a*b", 1, TTL));
        assertThatIllegalArgumentException().isThrownBy(() -> new HistoryRule("**", 1, TTL));
        assertThatIllegalArgumentException().isThrownBy(() -> new HistoryRule("", 1, TTL));
        assertThatIllegalArgumentException().isThrownBy(() -> new HistoryRule("a b", 1, TTL));
        assertThatIllegalArgumentException().isThrownBy(() -> new HistoryRule("chat", 0, TTL));
        assertThatIllegalArgumentException().isThrownBy(() -> new HistoryRule("chat", 1, Duration.ZERO));
        assertThatIllegalArgumentException().isThrownBy(() -> HistoryOptions.none().withMaxRecoveredEvents(0));
    }

    @Test
    void theFirstMatchingRuleDecides() {
        HistoryRule exact = new HistoryRule("prices.ACME", 1, TTL);
        HistoryRule all = new HistoryRule("prices.*", 50, TTL);
        HistoryOptions options = HistoryOptions.of(List.of(exact, all));

        assertThat(options.ruleFor("prices.ACME")).isSameAs(exact);
        assertThat(options.ruleFor("prices.SAP")).isSameAs(all);
        assertThat(options.ruleFor("chat")).isNull();
    }

    @Test
    void noHistoryIsTheDefaultAndEqualsItself() {
        assertThat(WebSocketServerOptions.ofDefaults().history()).isEqualTo(HistoryOptions.none());
        assertThat(HistoryOptions.none().rules()).isEmpty();
    }

    @Test
    void stampingAddsTheOffsetAsTheLastMember() {
        assertThat(HistoryStore.stamp("{\"type\":\"t\",\"payload\":1}", 42))
            .isEqualTo("{\"type\":\"t\",\"payload\":1,\"offset\":42}");
        assertThat(HistoryStore.stamp("{}", 1)).isEqualTo("{\"offset\":1}");
        assertThatIllegalArgumentException().isThrownBy(() -> HistoryStore.stamp("[1]", 1));
    }

    @Test
    void historyRulesWithAClusterBrokerAndTheInMemoryStoreAreIgnoredBecauseNodesWouldDisagreeOnOffsets() {
        WebSocketServerEventTarget hub = WebSocketServerEventTarget.create(WebSocketServerOptions.builder()
            .broker(new RecordingBroker())
            .history(HistoryOptions.of(List.of(new HistoryRule("chat", 1, TTL))))
            .build());
        InMemoryRawSocket socket = new InMemoryRawSocket("spoke");
        hub.addConnection(socket);

        socket.receiveText(HistoryFrames.subscribeSince("chat", "r1", "e", 0));
        hub.dispatchEvent(Event.of("chat"));

        assertThat(HistoryFrames.ackPayload(socket.sentMessages(), "r1").path("recovered").asBoolean()).isFalse();
        assertThat(socket.sentMessages()).endsWith("{\"type\":\"chat\"}");
    }
}
