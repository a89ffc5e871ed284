package dev.fanout.redis;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.ToByteBufEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * Encodes a frame straight into Lettuce's output buffer as an {@link Envelope}: the node's header bytes, then the
 * frame's UTF-8, with no intermediate string or array. Keys (channels) are UTF-8. Only encodes: the publishing
 * connection reads nothing but integer replies. Thread-safe.
 */
final class PublishCodec implements RedisCodec<String, String>, ToByteBufEncoder<String, String> {

    private final byte[] header;

    PublishCodec(String nodeId) {
        this.header = Envelope.headerOf(nodeId);
    }

    @Override
    public void encodeKey(String channel, ByteBuf target) {
        ByteBufUtil.writeUtf8(target, channel);
    }

    @Override
    public void encodeValue(String frame, ByteBuf target) {
        target.writeBytes(this.header);
        ByteBufUtil.writeUtf8(target, frame);
    }

    @Override
    public int estimateSize(Object keyOrValue) {
        if (keyOrValue instanceof String text) {
            return this.header.length + ByteBufUtil.utf8MaxBytes(text);
        }
        return 0;
    }

    @Override
    public ByteBuffer encodeKey(String channel) {
        return ByteBuffer.wrap(channel.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public ByteBuffer encodeValue(String frame) {
        ByteBuffer out = ByteBuffer.allocate(this.header.length + ByteBufUtil.utf8MaxBytes(frame));
        out.put(this.header).put(frame.getBytes(StandardCharsets.UTF_8));
        return out.flip();
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
