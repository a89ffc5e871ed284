package dev.fanout.spring.websocket;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

import org.jspecify.annotations.Nullable;

/**
 * Joins the parts of the inbound messages of one session, which the container hands over as they arrive (at most its
 * small default buffer at a time) instead of assembling them in buffers as large as the size limit, and enforces the
 * limit while joining: a text message may have at most {@code maxMessageSize} chars and a binary one at most that many
 * bytes. A message that arrives in one part is passed through without a copy; the join buffer of a message in parts
 * exists only until its last part.
 *
 * <p>Not thread-safe: the container delivers the messages of one session one at a time, and a text message and a
 * binary one never interleave.
 */
final class MessageAssembler {

    private final int maxMessageSize;

    private @Nullable StringBuilder text;

    private @Nullable ByteArrayOutputStream binary;

    MessageAssembler(int maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    /**
     * Adds a part of a text message.
     *
     * @param part the part
     * @param last whether it is the last part of its message
     * @return the whole message after its last part, else {@code null}
     * @throws MessageTooBigException if the message grew past the limit; the parts so far are dropped
     */
    @Nullable String text(String part, boolean last) throws MessageTooBigException {
        StringBuilder joined = this.text;
        long size = (long) part.length() + ((joined != null) ? joined.length() : 0);
        if (size > this.maxMessageSize) {
            this.text = null;
            throw new MessageTooBigException(size, this.maxMessageSize);
        }
        if (joined == null) {
            if (last) {
                return part;
            }
            this.text = new StringBuilder(part);
            return null;
        }
        joined.append(part);
        if (!last) {
            return null;
        }
        this.text = null;
        return joined.toString();
    }

    /**
     * Adds a part of a binary message.
     *
     * @param part the part, read up to its limit
     * @param last whether it is the last part of its message
     * @return the whole message after its last part, else {@code null}
     * @throws MessageTooBigException if the message grew past the limit; the parts so far are dropped
     */
    byte @Nullable [] binary(ByteBuffer part, boolean last) throws MessageTooBigException {
        ByteArrayOutputStream joined = this.binary;
        long size = (long) part.remaining() + ((joined != null) ? joined.size() : 0);
        if (size > this.maxMessageSize) {
            this.binary = null;
            throw new MessageTooBigException(size, this.maxMessageSize);
        }
        byte[] bytes = new byte[part.remaining()];
        part.get(bytes);
        if (joined == null) {
            if (last) {
                return bytes;
            }
            joined = new ByteArrayOutputStream(Math.max(bytes.length * 2, 256));
            this.binary = joined;
        }
        joined.writeBytes(bytes);
        if (!last) {
            return null;
        }
        this.binary = null;
        return joined.toByteArray();
    }

    /**
     * An inbound message grew past the size limit.
     */
    static final class MessageTooBigException extends Exception {

        private static final long serialVersionUID = 1L;

        MessageTooBigException(long size, int limit) {
            super("Inbound message of at least " + size + " exceeds the limit of " + limit, null, false, false);
        }
    }
}
