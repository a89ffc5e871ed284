package dev.fanout.client.internal;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.fanout.Event;
import dev.fanout.client.StreamPosition;

import static org.assertj.core.api.Assertions.assertThat;

class FrameCodecTests {

    private final FrameCodec codec = new FrameCodec(JsonMapper.builder().build());

    @Test
    void subscribeCarriesSinceOnlyWithAPositionAndItsEpochOnlyWhenKnown() {
        assertThat(this.codec.subscribe("fc:1", "t", null, false))
            .isEqualTo("{\"type\":\"__subscribe\",\"id\":\"fc:1\",\"payload\":{\"topic\":\"t\"}}");
        assertThat(this.codec.subscribe("fc:2", "t", new StreamPosition("e", 41), false)).isEqualTo(
                "{\"type\":\"__subscribe\",\"id\":\"fc:2\",\"payload\":{\"topic\":\"t\",\"since\":{\"epoch\":\"e\",\"offset\":41}}}");
        assertThat(this.codec.subscribe("fc:3", "t", new StreamPosition(null, 7), false)).isEqualTo(
                "{\"type\":\"__subscribe\",\"id\":\"fc:3\",\"payload\":{\"topic\":\"t\",\"since\":{\"offset\":7}}}");
        assertThat(this.codec.unsubscribe("fc:4", "t"))
            .isEqualTo("{\"type\":\"__unsubscribe\",\"id\":\"fc:4\",\"payload\":{\"topic\":\"t\"}}");
    }

    @Test
    void subscribeCarriesLatestOnlyWhenAskedForAndAfterSince() {
        assertThat(this.codec.subscribe("fc:1", "prices.ACME", null, true)).isEqualTo(
                "{\"type\":\"__subscribe\",\"id\":\"fc:1\",\"payload\":{\"topic\":\"prices.ACME\",\"latest\":true}}");
        assertThat(this.codec.subscribe("fc:2", "prices.ACME", new StreamPosition("e", 3), true)).isEqualTo(
                "{\"type\":\"__subscribe\",\"id\":\"fc:2\",\"payload\":{\"topic\":\"prices.ACME\","
                        + "\"since\":{\"epoch\":\"e\",\"offset\":3},\"latest\":true}}");
    }

    @Test
    void eventsAreWrittenWithoutAbsentMembers() {
        assertThat(this.codec.encode(Event.of("chat"))).isEqualTo("{\"type\":\"chat\"}");
        assertThat(this.codec.encode(Event.of("chat", "7", java.util.Map.of("a", 1))))
            .isEqualTo("{\"type\":\"chat\",\"id\":\"7\",\"payload\":{\"a\":1}}");
    }

    @Test
    void anEventsOffsetIsReadWhenItIsANonNegativeInteger() {
        assertThat(offsetOf("{\"type\":\"t\",\"offset\":42}")).isEqualTo(42L);
        assertThat(offsetOf("{\"type\":\"t\"}")).isNull();
        assertThat(offsetOf("{\"type\":\"t\",\"offset\":-1}")).isNull();
        assertThat(offsetOf("{\"type\":\"t\",\"offset\":1.5}")).isNull();
        assertThat(offsetOf("{\"type\":\"t\",\"offset\":\"42\"}")).isNull();
        assertThat(offsetOf("{\"type\":\"t\",\"offset\":99999999999999999999999}")).isNull();
    }

    @Test
    void anAckCarriesTheRecoveryFieldsWhenTheHubSendsThem() {
        assertThat(this.codec.decode("{\"type\":\"__ack\",\"id\":\"fc:1\",\"payload\":{\"topic\":\"t\"}}"))
            .isEqualTo(new InboundFrame.Ack("fc:1", null, null, null));
        assertThat(this.codec.decode("{\"type\":\"__ack\",\"id\":\"fc:1\",\"payload\":{\"topic\":\"t\",\"epoch\":\"e\","
                + "\"offset\":9,\"recovered\":true}}")).isEqualTo(new InboundFrame.Ack("fc:1", "e", 9L, true));
        assertThat(this.codec.decode("{\"type\":\"__ack\",\"id\":\"fc:1\",\"payload\":{\"recovered\":\"yes\"}}"))
            .isEqualTo(new InboundFrame.Ack("fc:1", null, null, null));
    }

    @Test
    void anErrorNeedsACodeAndKeepsItsTopicForTheApp() {
        InboundFrame error = this.codec.decode(
                "{\"type\":\"__error\",\"id\":\"fc:1\",\"payload\":{\"topic\":\"t\",\"code\":\"forbidden\"}}");
        assertThat(error).isInstanceOfSatisfying(InboundFrame.ErrorReply.class, (reply) -> {
            assertThat(reply.code()).isEqualTo("forbidden");
            assertThat(reply.message()).isEmpty();
            assertThat(FrameCodec.topicOf(reply)).isEqualTo("t");
        });
        assertThat(this.codec.decode("{\"type\":\"__error\",\"id\":\"fc:1\",\"payload\":{\"code\":5}}"))
            .isInstanceOf(InboundFrame.Ignored.class);
    }

    @Test
    void anythingElseIsIgnoredWithAReasonThatIsSafeToLog() {
        InboundFrame ignored = this.codec.decode("{\"type\":\"__surprise\\u0007" + "x".repeat(500) + "\"}");
        assertThat(ignored).isInstanceOfSatisfying(InboundFrame.Ignored.class, (frame) -> {
            assertThat(frame.reason()).doesNotContain("\u0007").contains("\\u0007");
            assertThat(frame.reason().length()).isLessThan(200);
        });
    }

    private Long offsetOf(String frame) {
        return ((InboundFrame.EventFrame) this.codec.decode(frame)).offset();
    }
}
