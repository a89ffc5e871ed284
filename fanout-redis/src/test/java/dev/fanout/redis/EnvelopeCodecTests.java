package dev.fanout.redis;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import dev.fanout.redis.ReceiveCodec.Received;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The envelope as {@link PublishCodec} writes it and {@link ReceiveCodec} reads it, and the lag {@link LagMeter}
 * derives from it, with fixed clocks.
 */
class EnvelopeCodecTests {

    private static final Instant PUBLISHED = Instant.parse("2026-12-01T10:00:00.123456Z");

    private static final long PUBLISHED_MICROS = PUBLISHED.getEpochSecond() * 1_000_000L + 123_456;

    private static final String FRAME = "{\"type\":\"news\",\"payload\":\"héllo ✓\"}";

    private final PublishCodec publisher = new PublishCodec("nodea", Clock.fixed(PUBLISHED, ZoneOffset.UTC));

    private final ReceiveCodec receiver = new ReceiveCodec("nodeb");

    @Test
    void aFramePublishedOnOneNodeIsReceivedOnAnotherWithItsTextAndThePublishersClockInMicros() {
        ByteBuf wire = Unpooled.buffer(this.publisher.estimateSize(FRAME));
        this.publisher.encodeValue(FRAME, wire);

        assertThat(wire.toString(StandardCharsets.UTF_8)).isEqualTo("2|nodea|" + PUBLISHED_MICROS + "|" + FRAME);
        assertThat(wire.readableBytes()).isLessThanOrEqualTo(this.publisher.estimateSize(FRAME));
        assertThat(this.receiver.decodeValue(wire.nioBuffer())).isEqualTo(new Received.Frame(FRAME, PUBLISHED_MICROS));
    }

    @Test
    void theByteBufferEncodingWritesTheSameEnvelopeAsTheByteBufEncoding() {
        ByteBuf wire = Unpooled.buffer();
        this.publisher.encodeValue(FRAME, wire);

        assertThat(this.publisher.encodeValue(FRAME)).isEqualTo(wire.nioBuffer());
    }

    @Test
    void aNodeRecognisesItsOwnMessages() {
        ByteBuf wire = Unpooled.buffer();
        this.publisher.encodeValue(FRAME, wire);

        assertThat(new ReceiveCodec("nodea").decodeValue(wire.nioBuffer())).isSameAs(Received.OWN);
    }

    @Test
    void aVersion1MessageFromANodeNotYetUpgradedIsStillReceivedWithoutAPublishTime() {
        Received received = this.receiver.decodeValue(utf8("1|oldnode|" + FRAME));

        assertThat(received).isEqualTo(new Received.Frame(FRAME, Received.NO_PUBLISH_TIME));
        assertThat(((Received.Frame) received).hasPublishTime()).isFalse();
    }

    @Test
    void aStampedVersion3MessageIsReceivedWithItsOffsetAndWhetherThisNodePublishedIt() {
        String stamped = "{\"type\":\"chat\",\"payload\":\"a|b\",\"offset\":42}";

        Received fromOther = this.receiver.decodeValue(utf8("3|nodea|" + PUBLISHED_MICROS + "|42|" + stamped));
        Received own = this.receiver.decodeValue(utf8("3|nodeb|" + PUBLISHED_MICROS + "|42|" + stamped));

        assertThat(fromOther).isEqualTo(new Received.Stamped(stamped, PUBLISHED_MICROS, 42, false));
        assertThat(own).isEqualTo(new Received.Stamped(stamped, PUBLISHED_MICROS, 42, true));
    }

    @Test
    void version3MessagesWithoutAPositiveOffsetOrAJsonObjectAreMalformed() {
        List<String> garbage = List.of("3|node|1|0|{}", "3|node|1|x|{}", "3|node|1||{}", "3|node|1|5|not json",
                "3|node|1|5", "3|node|1|" + "9".repeat(19) + "|{}", "3|node|-1|5|{}");

        assertThat(garbage).allSatisfy(
                (message) -> assertThat(this.receiver.decodeValue(utf8(message))).isInstanceOf(Received.Malformed.class));
    }

    @Test
    void messagesThatAreNoValidEnvelopeOfEitherVersionAreMalformed() {
        List<String> garbage = List.of("", "hello", "2|", "2|node", "2|node|{}", "2|node||{}", "2|node|12x|{}",
                "2|node|-5|{}", "2|node|" + "9".repeat(19) + "|{}", "2|node|123|not json", "2|node|123", "2|UPPER|1|{}",
                "1|node|not json", "1||{}", "3|node|1|{}", "2|" + "x".repeat(40) + "|1|{}", "\u0000\u0001\u001b[31m");

        assertThat(garbage).allSatisfy(
                (message) -> assertThat(this.receiver.decodeValue(utf8(message))).isInstanceOf(Received.Malformed.class));
    }

    @Test
    void theLagIsTheReceiversClockMinusThePublishTime() {
        LagMeter lag = new LagMeter(Clock.fixed(PUBLISHED.plusMillis(3), ZoneOffset.UTC));

        lag.received(PUBLISHED_MICROS);
        lag.received(PUBLISHED_MICROS - 1_000);

        assertThat(lag.count()).isEqualTo(2);
        assertThat(lag.totalNanos()).isEqualTo(Duration.ofMillis(3 + 4).toNanos());
    }

    @Test
    void aNegativeOrImplausiblyLargeLagFromClocksThatDisagreeIsNotCounted() {
        LagMeter lag = new LagMeter(Clock.fixed(PUBLISHED, ZoneOffset.UTC));

        lag.received(PUBLISHED_MICROS + 1);
        lag.received(PUBLISHED_MICROS - LagMeter.MAX_PLAUSIBLE_LAG.toNanos() / 1_000 - 1);
        lag.received(0);

        assertThat(lag.count()).isZero();
        assertThat(lag.totalNanos()).isZero();
    }

    private static ByteBuffer utf8(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}
