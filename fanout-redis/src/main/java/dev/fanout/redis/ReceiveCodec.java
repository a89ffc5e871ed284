package dev.fanout.redis;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import io.lettuce.core.codec.RedisCodec;

/**
 * Decodes the messages of the subscribing connection as they come off the wire: the {@link Envelope} header is
 * checked in place, a message of this node is recognised without decoding its frame, and a remote frame is decoded
 * once, from the bytes after the header, into the string the hub sends to its spokes. Accepts both versions of the
 * envelope; the publish time of version 2 is parsed in place. Thread-safe.
 */
final class ReceiveCodec implements RedisCodec<String, ReceiveCodec.Received> {

    private final byte[] ownHeader;

    ReceiveCodec(String nodeId) {
        this.ownHeader = Envelope.headerOf(nodeId);
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
        if ((version != Envelope.VERSION && version != Envelope.VERSION_WITHOUT_TIME)
                || bytes.get(start + 1) != Envelope.SEPARATOR) {
            return new Received.Malformed("not a fanout envelope (2|<node id>|<publish time>|<frame> or "
                    + "1|<node id>|<frame>)", excerpt(bytes));
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
        if (version == Envelope.VERSION) {
            int timeEnd = frameStart;
            long time = 0;
            while (timeEnd < end && timeEnd - frameStart < Envelope.MAX_TIME_DIGITS && isDigit(bytes.get(timeEnd))) {
                time = time * 10 + (bytes.get(timeEnd) - '0');
                timeEnd++;
            }
            if (timeEnd == frameStart || timeEnd >= end || bytes.get(timeEnd) != Envelope.SEPARATOR) {
                return new Received.Malformed("invalid publish time", excerpt(bytes));
            }
            publishedAtMicros = time;
            frameStart = timeEnd + 1;
        }
        if (end - frameStart < 2 || bytes.get(frameStart) != '{' || bytes.get(end - 1) != '}') {
            return new Received.Malformed("the frame is not a JSON object", excerpt(bytes));
        }
        byte[] frame = new byte[end - frameStart];
        bytes.get(frameStart, frame);
        return new Received.Frame(new String(frame, StandardCharsets.UTF_8), publishedAtMicros);
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

        /** Not a valid envelope: someone else published to our channel. */
        record Malformed(String problem, String excerpt) implements Received {
        }

        /** See {@link #OWN}. */
        record Own() implements Received {
        }
    }
}
