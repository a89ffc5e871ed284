package dev.fanout.benchmarks.load.client;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PayloadTests {

    @Test
    void encodedPayloadHasTheRequestedSizeAndDecodesToItsSequenceAndSendTime() {
        byte[] payload = Payload.encode(1234, 987_654_321_000L, 256);

        long[] decoded = new long[2];
        assertThat(payload).hasSize(256);
        assertThat(Payload.decode(payload, 0, payload.length, decoded)).isTrue();
        assertThat(decoded).containsExactly(1234, 987_654_321_000L);
    }

    @Test
    void negativeSequenceNumbersOfWarmUpAndProbeEventsSurviveDecoding() {
        long[] decoded = new long[2];
        byte[] warmUp = Payload.encode(-7, 5, 64);
        byte[] probe = Payload.encode(Payload.PROBE, 6, 64);

        assertThat(Payload.decode(warmUp, 0, warmUp.length, decoded)).isTrue();
        assertThat(decoded[0]).isEqualTo(-7);
        assertThat(Payload.decode(probe, 0, probe.length, decoded)).isTrue();
        assertThat(decoded[0]).isEqualTo(Payload.PROBE);
    }

    @Test
    void decodingFindsThePayloadInsideAFanoutEventAndAStompMessageFrame() {
        byte[] payload = Payload.encode(42, 99, 100);
        String body = new String(payload, StandardCharsets.US_ASCII);
        byte[] fanout = ("{\"type\":\"bench\",\"payload\":" + body + "}").getBytes(StandardCharsets.US_ASCII);
        byte[] stomp = ("MESSAGE\ndestination:/topic/bench\nsubscription:sub-1\nmessage-id:x-1\ncontent-length:"
                + payload.length + "\n\n" + body + "\0").getBytes(StandardCharsets.US_ASCII);
        long[] decoded = new long[2];

        assertThat(Payload.decode(fanout, 0, fanout.length, decoded)).isTrue();
        assertThat(decoded).containsExactly(42, 99);
        assertThat(Payload.decode(stomp, 0, stomp.length, decoded)).isTrue();
        assertThat(decoded).containsExactly(42, 99);
    }

    @Test
    void messagesWithoutABenchmarkPayloadAreNotDecoded() {
        byte[] connected = "CONNECTED\nversion:1.2\n\n\0".getBytes(StandardCharsets.US_ASCII);

        assertThat(Payload.decode(connected, 0, connected.length, new long[2])).isFalse();
    }
}
