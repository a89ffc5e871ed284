package dev.fanout.redis;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import io.lettuce.core.codec.RedisCodec;

/**
 * Decodes the messages of the subscribing connection as they come off the wire: the {@link Envelope} header is
 * checked in place, a message of this node is recognised without decoding its frame, and a remote frame is decoded
 * once, from the bytes after the header, into the string the hub sends to its spokes. Accepts the three versions of the
 * envelope; the publish time of versions 2 and 3 and the offset of version 3 are parsed in place. Thread-safe.
 */
final class ReceiveCodec implements RedisCodec<String, ReceiveCodec.Received> {

    private final byte[] ownHeader;

    private final byte[] ownStampedHeader;

    ReceiveCodec(String nodeId) {
        this.ownHeader = Envelope.headerOf(nodeId);
        this.ownStampedHeader = Envelope.headerOf(Envelope.VERSION_STAMPED, nodeId).getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public String decodeKey(ByteBuffer bytes) {
        return StandardCharsets.UTF_8.decode(bytes).toString();
    }

    @Override
    public Received decodeValue(ByteBuffer bytes) {
        int start = bytes.position();
        int end = bytes.limit();
        if (startsWith(bytes, this.ownHeader)) {
            return Received.OWN;
        }
        byte version = (end - start < 4) ? 0 : bytes.get(start);
        if ((version != Envelope.VERSION && version != Envelope.VERSION_WITHOUT_TIME
                && version != Envelope.VERSION_STAMPED) || bytes.get(start + 1) != Envelope.SEPARATOR) {
            return new Received.Malformed("not a fanout envelope (2|<node id>|<publish time>|<frame>, "
                    + "3|<node id>|<publish time>|<offset>|<frame> or 1|<node id>|<frame>)", excerpt(bytes));
        }
        int idEnd = start + 2;
        while (idEnd < end && idEnd - start - 2 <= Envelope.MAX_NODE_ID_LENGTH
                && Envelope.isNodeIdChar(bytes.get(idEnd))) {
            idEnd++;
        }
        int idLength = idEnd - start - 2;
        if (idLength == 0 || idLength > Envelope.MAX_NODE_ID_LENGTH || idEnd >= end
                || bytes.get(idEnd) != Envelope.SEPARATOR) {
            return new Received.Malformed("invalid node id", excerpt(bytes));
        }
        int frameStart = idEnd + 1;
        long publishedAtMicros = Received.NO_PUBLISH_TIME;
        if (version != Envelope.VERSION_WITHOUT_TIME) {
            int timeEnd = decimalEnd(bytes, frameStart, end);
            if (timeEnd < 0) {
                return new Received.Malformed("invalid publish time", excerpt(bytes));
            }
            publishedAtMicros = decimal(bytes, frameStart, timeEnd);
            frameStart = timeEnd + 1;
        }
        long offset = 0;
        if (version == Envelope.VERSION_STAMPED) {
            int offsetEnd = decimalEnd(bytes, frameStart, end);
            offset = (offsetEnd < 0) ? 0 : decimal(bytes, frameStart, offsetEnd);
            if (offset <= 0) {
                return new Received.Malformed("invalid offset", excerpt(bytes));
            }
            frameStart = offsetEnd + 1;
        }
        if (end - frameStart < 2 || bytes.get(frameStart) != '{' || bytes.get(end - 1) != '}') {
            return new Received.Malformed("the frame is not a JSON object", excerpt(bytes));
        }
        byte[] frame = new byte[end - frameStart];
        bytes.get(frameStart, frame);
        String text = new String(frame, StandardCharsets.UTF_8);
        if (version == Envelope.VERSION_STAMPED) {
            return new Received.Stamped(text, publishedAtMicros, offset, startsWith(bytes, this.ownStampedHeader));
        }
        return new Received.Frame(text, publishedAtMicros);
    }

    /**
     * Where the decimal number starting at {@code from} ends: the index of the separator after its 1 to
     * {@link Envelope#MAX_TIME_DIGITS} digits, or -1 if there is no such number.
     */
    private static int decimalEnd(ByteBuffer bytes, int from, int end) {
        int at = from;
        while (at < end && at - from < Envelope.MAX_TIME_DIGITS && isDigit(bytes.get(at))) {
            at++;
        }
        return (at == from || at >= end || bytes.get(at) != Envelope.SEPARATOR) ? -1 : at;
    }

    private static long decimal(ByteBuffer bytes, int from, int to) {
        long value = 0;
        for (int i = from; i < to; i++) {
            value = value * 10 + (bytes.get(i) - '0');
        }
        return value;
    }

    @Override
    public ByteBuffer encodeKey(String channel) {
        return ByteBuffer.wrap(channel.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public ByteBuffer encodeValue(Received value) {
        throw new UnsupportedOperationException("the subscribing connection publishes nothing");
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static boolean startsWith(ByteBuffer bytes, byte[] prefix) {
        int start = bytes.position();
        if (bytes.limit() - start < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes.get(start + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static String excerpt(ByteBuffer bytes) {
        int length = Math.min(bytes.remaining(), 80);
        byte[] head = new byte[length];
        bytes.get(bytes.position(), head);
        return new String(head, StandardCharsets.UTF_8) + ((bytes.remaining() > length) ? "…" : "");
    }

    /**
     * A message as received on one of our channels.
     */
    sealed interface Received {

        /** A message this node published itself: it was already sent to the local subscribers. */
        Received OWN = new Own();

        /** {@link Frame#publishedAtMicros()} of a version-1 message, which carries no publish time. */
        long NO_PUBLISH_TIME = -1;

        /**
         * A frame from another node, to send to the local subscribers as is.
         *
         * @param frame the frame
         * @param publishedAtMicros the publishing node's wall clock at the publish, in microseconds since the epoch, or
         *        {@link #NO_PUBLISH_TIME}
         */
        record Frame(String frame, long publishedAtMicros) implements Received {

            /**
             * Whether the message carried its publish time.
             *
             * @return false for a version-1 message
             */
            boolean hasPublishTime() {
                return this.publishedAtMicros != NO_PUBLISH_TIME;
            }
        }

        /**
         * A stamped frame of a topic with history (version 3), from any node, this one included: every node delivers
         * it through its history store.
         *
         * @param frame the stamped frame
         * @param publishedAtMicros the publishing node's wall clock at the publish, in microseconds since the epoch
         * @param offset the frame's offset, positive
         * @param own whether this node published it
         */
        record Stamped(String frame, long publishedAtMicros, long offset, boolean own) implements Received {
        }

        /** Not a valid envelope: someone else published to our channel. */
        record Malformed(String problem, String excerpt) implements Received {
        }

        /** See {@link #OWN}. */
        record Own() implements Received {
        }
    }
}
