package dev.fanout.redis;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.ToByteBufEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * Encodes a frame straight into Lettuce's output buffer as an {@link Envelope}: the node's precomputed header bytes,
 * the clock's time in decimal, then the frame's UTF-8, with no intermediate string or array. Keys (channels) are UTF-8. Only encodes: the publishing
 * connection reads nothing but integer replies. Thread-safe.
 */
final class PublishCodec implements RedisCodec<String, String>, ToByteBufEncoder<String, String> {

    private static final int MAX_TIME_LENGTH = Envelope.MAX_TIME_DIGITS + 1;

    private final byte[] header;

    private final Clock clock;

    PublishCodec(String nodeId, Clock clock) {
        this.header = Envelope.headerOf(nodeId);
        this.clock = clock;
    }

    @Override
    public void encodeKey(String channel, ByteBuf target) {
        ByteBufUtil.writeUtf8(target, channel);
    }

    @Override
    public void encodeValue(String frame, ByteBuf target) {
        target.writeBytes(this.header);
        Envelope.writeDecimal(target, publishTime());
        target.writeByte(Envelope.SEPARATOR);
        ByteBufUtil.writeUtf8(target, frame);
    }

    @Override
    public int estimateSize(Object keyOrValue) {
        if (keyOrValue instanceof String text) {
            return this.header.length + MAX_TIME_LENGTH + ByteBufUtil.utf8MaxBytes(text);
        }
        return 0;
    }

    @Override
    public ByteBuffer encodeKey(String channel) {
        return ByteBuffer.wrap(channel.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public ByteBuffer encodeValue(String frame) {
        byte[] time = (Long.toString(publishTime()) + (char) Envelope.SEPARATOR).getBytes(StandardCharsets.US_ASCII);
        byte[] text = frame.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(this.header.length + time.length + text.length);
        out.put(this.header).put(time).put(text);
        return out.flip();
    }

    private long publishTime() {
        return Math.max(0, Envelope.epochMicros(this.clock));
    }

    @Override
    public String decodeKey(ByteBuffer bytes) {
        return StandardCharsets.UTF_8.decode(bytes).toString();
    }

    @Override
    public String decodeValue(ByteBuffer bytes) {
        return StandardCharsets.UTF_8.decode(bytes).toString();
    }
}
