package dev.fanout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.fanout.testing.InMemoryRawSocket;
import dev.fanout.testing.ManualTimeSource;

import static dev.fanout.HistoryFrames.ackPayload;
import static dev.fanout.HistoryFrames.offsetsOf;
import static dev.fanout.HistoryFrames.subscribeLatest;
import static dev.fanout.HistoryFrames.subscribeSince;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * History and recovery on a single node, with in-memory sockets and a manual clock (docs/protocol.md, "History and
 * recovery").
 */
class HistoryTests {

    private static final Duration TTL = Duration.ofMinutes(5);

    private final ManualTimeSource clock = new ManualTimeSource();

    private final WebSocketServerEventTarget hub = hubWith(HistoryOptions.of(List.of(
            new HistoryRule("chat", 1000, TTL), new HistoryRule("prices.*", 1, TTL), new HistoryRule("small", 3, TTL)))
        .withMaxRecoveredEvents(600));

    @Test
    void aTopicWithoutHistoryIsSentItsFramesWithoutAnOffsetAsBefore() {
        InMemoryRawSocket socket = connect("news", "s1");

        this.hub.dispatchEvent(Event.of("news", Map.of("n", 1)));

        assertThat(socket.sentMessages()).containsExactly(Frames.ack("s1", "news"),
                "{\"type\":\"news\",\"payload\":{\"n\":1}}");
    }

    @Test
    void eachDispatchToATopicWithHistoryCarriesTheTopicsNextOffsetAsTheFramesLastMember() {
        InMemoryRawSocket socket = connect("chat", "s1");

        this.hub.dispatchEvent(Event.of("chat", Map.of("text", "a")));
        this.hub.dispatchEvent(Event.of("chat", "m2", null));
        this.hub.dispatchEvent(Event.of("chat"));

        assertThat(socket.sentMessages()).endsWith("{\"type\":\"chat\",\"payload\":{\"text\":\"a\"},\"offset\":1}",
                "{\"type\":\"chat\",\"id\":\"m2\",\"offset\":2}", "{\"type\":\"chat\",\"offset\":3}");
    }

    @Test
    void offsetsArePerTopic() {
        InMemoryRawSocket socket = connect("prices.A", "a");
        socket.receiveText(Frames.subscribe("prices.B", "b"));

        this.hub.dispatchEvent(Event.of("prices.A"));
        this.hub.dispatchEvent(Event.of("prices.B"));
        this.hub.dispatchEvent(Event.of("prices.A"));

        assertThat(offsetsOf(socket.sentMessages(), "prices.A")).containsExactly(1L, 2L);
        assertThat(offsetsOf(socket.sentMessages(), "prices.B")).containsExactly(1L);
    }

    @Test
    void theAckOfATopicWithHistoryCarriesItsEpochAndLatestOffset() {
        dispatch("chat", 7);

        InMemoryRawSocket socket = connect("chat", "s1");

        JsonNode ack = ackPayload(socket.sentMessages(), "s1");
        assertThat(ack.path("topic").asString()).isEqualTo("chat");
        assertThat(ack.path("epoch").asString()).isNotEmpty();
        assertThat(ack.path("offset").asLong()).isEqualTo(7);
        assertThat(ack.has("recovered")).isFalse();
        assertThat(socket.sentMessages()).hasSize(1);
    }

    @Test
    void aSpokeAwayWhile500EventsWereDispatchedRecoversExactlyThoseInOrderThenLiveOnes() {
        InMemoryRawSocket first = connect("chat", "s1");
        dispatch("chat", 10);
        String epoch = ackPayload(first.sentMessages(), "s1").path("epoch").asString();
        first.closeFromPeer(1006, "network blip");

        dispatch("chat", 500);
        InMemoryRawSocket again = socket("again");
        again.receiveText(subscribeSince("chat", "r1", epoch, 10));
        dispatch("chat", 2);

        JsonNode ack = Frames.parse(again.sentMessages().get(0));
        assertThat(ack.path("type").asString()).isEqualTo("__ack");
        assertThat(ack.path("payload").path("recovered").asBoolean()).isTrue();
        assertThat(ack.path("payload").path("epoch").asString()).isEqualTo(epoch);
        assertThat(ack.path("payload").path("offset").asLong()).isEqualTo(510);
        assertThat(offsetsOf(again.sentMessages(), "chat")).containsExactlyElementsOf(range(11, 512));
    }

    @Test
    void aSpokeThatMissedNothingRecoversWithNothingToSend() {
        dispatch("chat", 3);
        String epoch = epochOf("chat");

        InMemoryRawSocket socket = socket("spoke");
        socket.receiveText(subscribeSince("chat", "r1", epoch, 3));

        assertThat(ackPayload(socket.sentMessages(), "r1").path("recovered").asBoolean()).isTrue();
        assertThat(socket.sentMessages()).hasSize(1);
    }

    @Test
    void recoveryFromAnotherEpochSaysRecoveredFalseAndSendsNoHistory() {
        dispatch("chat", 3);

        InMemoryRawSocket socket = socket("spoke");
        socket.receiveText(subscribeSince("chat", "r1", "an-old-epoch", 1));
        this.hub.dispatchEvent(Event.of("chat"));

        JsonNode ack = ackPayload(socket.sentMessages(), "r1");
        assertThat(ack.path("recovered").asBoolean()).isFalse();
        assertThat(ack.path("offset").asLong()).isEqualTo(3);
        assertThat(offsetsOf(socket.sentMessages(), "chat")).containsExactly(4L);
    }

    @Test
    void aRestartedHubHasAnotherEpochSoRecoveryAcrossTheRestartSaysRecoveredFalse() {
        dispatch("chat", 3);
        String before = epochOf("chat");
        WebSocketServerEventTarget restarted = hubWith(HistoryOptions.of(List.of(new HistoryRule("chat", 10, TTL))));
        restarted.dispatchEvent(Event.of("chat"));

        InMemoryRawSocket socket = new InMemoryRawSocket("spoke");
        restarted.addConnection(socket);
        socket.receiveText(subscribeSince("chat", "r1", before, 3));

        JsonNode ack = ackPayload(socket.sentMessages(), "r1");
        assertThat(ack.path("epoch").asString()).isNotEqualTo(before);
        assertThat(ack.path("recovered").asBoolean()).isFalse();
    }

    @Test
    void recoveryOfMoreEventsThanMaxRecoveredEventsSaysRecoveredFalse() {
        dispatch("chat", 1);
        String epoch = epochOf("chat");
        dispatch("chat", 601);

        InMemoryRawSocket socket = socket("spoke");
        socket.receiveText(subscribeSince("chat", "r1", epoch, 1));

        assertThat(ackPayload(socket.sentMessages(), "r1").path("recovered").asBoolean()).isFalse();
        assertThat(socket.sentMessages()).hasSize(1);
    }

    @Test
    void recoveryOfExactlyMaxRecoveredEventsSucceeds() {
        dispatch("chat", 1);
        String epoch = epochOf("chat");
        dispatch("chat", 600);

        InMemoryRawSocket socket = socket("spoke");
        socket.receiveText(subscribeSince("chat", "r1", epoch, 1));

        assertThat(ackPayload(socket.sentMessages(), "r1").path("recovered").asBoolean()).isTrue();
        assertThat(offsetsOf(socket.sentMessages(), "chat")).containsExactlyElementsOf(range(2, 601));
    }

    @Test
    void recoveryFromAnOffsetOlderThanTheHistoryKeptSaysRecoveredFalse() {
        dispatch("small", 1);
        String epoch = epochOf("small");
        dispatch("small", 4);

        InMemoryRawSocket socket = socket("spoke");
        socket.receiveText(subscribeSince("small", "r1", epoch, 1));

        assertThat(ackPayload(socket.sentMessages(), "r1").path("recovered").asBoolean()).isFalse();
        assertThat(offsetsOf(socket.sentMessages(), "small")).isEmpty();
    }

    @Test
    void recoveryWithinTheHistoryKeptSucceedsRightAtItsOldestEvent() {
        dispatch("small", 1);
        String epoch = epochOf("small");
        dispatch("small", 3);

        InMemoryRawSocket socket = socket("spoke");
        socket.receiveText(subscribeSince("small", "r1", epoch, 1));

        assertThat(ackPayload(socket.sentMessages(), "r1").path("recovered").asBoolean()).isTrue();
        assertThat(offsetsOf(socket.sentMessages(), "small")).containsExactly(2L, 3L, 4L);
    }

    @Test
    void eventsOlderThanTheTimeToLiveAreNotRecovered() {
        InMemoryRawSocket keeper = connect("chat", "k");
        String epoch = ackPayload(keeper.sentMessages(), "k").path("epoch").asString();
        dispatch("chat", 2);
        this.clock.advance(TTL.plusSeconds(1));
        dispatch("chat", 1);

        InMemoryRawSocket socket = socket("spoke");
        socket.receiveText(subscribeSince("chat", "r1", epoch, 0));

        JsonNode ack = ackPayload(socket.sentMessages(), "r1");
        assertThat(ack.path("epoch").asString()).isEqualTo(epoch);
        assertThat(ack.path("recovered").asBoolean()).isFalse();
    }

    @Test
    void aTopicWithoutSubscribersIsForgottenAfterItsTimeToLiveAndStartsANewEpoch() {
        dispatch("chat", 2);
        String epoch = epochOf("chat");

        this.clock.advance(TTL.plusSeconds(2));
        dispatch("chat", 1);

        InMemoryRawSocket socket = socket("spoke");
        socket.receiveText(subscribeSince("chat", "r1", epoch, 2));
        JsonNode ack = ackPayload(socket.sentMessages(), "r1");
        assertThat(ack.path("epoch").asString()).isNotEqualTo(epoch);
        assertThat(ack.path("offset").asLong()).isEqualTo(1);
        assertThat(ack.path("recovered").asBoolean()).isFalse();
    }

    @Test
    void aTopicWithASubscriberKeepsItsEpochPastItsTimeToLive() {
        InMemoryRawSocket keeper = connect("chat", "k");
        String epoch = ackPayload(keeper.sentMessages(), "k").path("epoch").asString();

        this.clock.advance(TTL.multipliedBy(3));
        dispatch("chat", 1);

        assertThat(epochOf("chat")).isEqualTo(epoch);
    }

    @Test
    void aSubscribeAskingForTheLatestEventReceivesItRightAfterTheAckThenLiveOnes() {
        dispatch("prices.ACME", 3);

        InMemoryRawSocket socket = socket("board");
        socket.receiveText(subscribeLatest("prices.ACME", "p1"));
        dispatch("prices.ACME", 1);

        assertThat(Frames.replySummary(socket.sentMessages().get(0))).isEqualTo("__ack:p1");
        assertThat(offsetsOf(socket.sentMessages(), "prices.ACME")).containsExactly(3L, 4L);
    }

    @Test
    void aSubscribeAskingForTheLatestEventOfATopicWithNoneYetReceivesOnlyTheAck() {
        InMemoryRawSocket socket = socket("board");
        socket.receiveText(subscribeLatest("prices.NEW", "p1"));

        assertThat(ackPayload(socket.sentMessages(), "p1").path("offset").asLong()).isZero();
        assertThat(socket.sentMessages()).hasSize(1);
    }

    @Test
    void aFailedRecoveryThatAlsoAsksForTheLatestEventReceivesTheLatestEvent() {
        dispatch("chat", 5);

        InMemoryRawSocket socket = socket("spoke");
        socket.receiveText(HistoryFrames.subscribe("chat", "r1", Map.of("epoch", "gone", "offset", 9), true));

        assertThat(ackPayload(socket.sentMessages(), "r1").path("recovered").asBoolean()).isFalse();
        assertThat(offsetsOf(socket.sentMessages(), "chat")).containsExactly(5L);
    }

    @Test
    void recoveryOnATopicWithoutHistorySaysRecoveredFalseWithoutAPosition() {
        InMemoryRawSocket socket = socket("spoke");
        socket.receiveText(subscribeSince("news", "r1", "e", 4));

        JsonNode ack = ackPayload(socket.sentMessages(), "r1");
        assertThat(ack.path("recovered").asBoolean()).isFalse();
        assertThat(ack.has("epoch")).isFalse();
        assertThat(ack.has("offset")).isFalse();
    }

    @Test
    void aSubscribeWithoutAnIdRecoversSilentlyAsInProtocol1ExceptForTheRecoveredEvents() {
        dispatch("chat", 1);
        String epoch = epochOf("chat");
        dispatch("chat", 2);

        InMemoryRawSocket socket = socket("v1");
        socket.receiveText(HistoryFrames.subscribe("chat", null, Map.of("epoch", epoch, "offset", 1), null));

        assertThat(offsetsOf(socket.sentMessages(), "chat")).containsExactly(2L, 3L);
        assertThat(socket.sentMessages()).hasSize(2);
    }

    @Test
    void aSpokeEvictedAsASlowConsumerReconnectsAndRecoversWhatItMissed() {
        InMemoryRawSocket slow = connect("chat", "s1");
        String epoch = ackPayload(slow.sentMessages(), "s1").path("epoch").asString();
        dispatch("chat", 4);
        slow.setBufferedAmount(WebSocketServerOptions.DEFAULT_BACKPRESSURE_THRESHOLD + 1);
        dispatch("chat", 3);
        assertThat(slow.closeCode()).isEqualTo(CloseCodes.SLOW_CONSUMER);
        long last = offsetsOf(slow.sentMessages(), "chat").get(3);

        InMemoryRawSocket again = socket("again");
        again.receiveText(subscribeSince("chat", "r1", epoch, last));

        assertThat(ackPayload(again.sentMessages(), "r1").path("recovered").asBoolean()).isTrue();
        assertThat(offsetsOf(again.sentMessages(), "chat")).containsExactly(5L, 6L, 7L);
    }

    private void dispatch(String topic, int count) {
        for (int i = 0; i < count; i++) {
            this.hub.dispatchEvent(Event.of(topic, Map.of("i", i)));
        }
    }

    private String epochOf(String topic) {
        InMemoryRawSocket probe = socket("probe-" + topic);
        probe.receiveText(Frames.subscribe(topic, "probe"));
        probe.closeFromPeer(1000, "done");
        return ackPayload(probe.sentMessages(), "probe").path("epoch").asString();
    }

    private InMemoryRawSocket connect(String topic, String id) {
        InMemoryRawSocket socket = socket(topic + "-" + id);
        socket.receiveText(Frames.subscribe(topic, id));
        return socket;
    }

    private InMemoryRawSocket socket(String name) {
        InMemoryRawSocket socket = new InMemoryRawSocket(name);
        this.hub.addConnection(socket);
        return socket;
    }

    private WebSocketServerEventTarget hubWith(HistoryOptions history) {
        return WebSocketServerEventTarget.create(WebSocketServerOptions.builder()
            .timeSource(this.clock)
            .history(history)
            .build());
    }

    private static List<Long> range(long first, long last) {
        return LongStream.rangeClosed(first, last).boxed().toList();
    }
}
