package dev.fanout.benchmarks.load.client;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Encodes client frames (always masked, RFC 6455 section 5.3) and splits server frames out of a byte range.
 */
final class WsFrames {

    static final int OPCODE_CONTINUATION = 0x0;

    static final int OPCODE_TEXT = 0x1;

    static final int OPCODE_BINARY = 0x2;

    static final int OPCODE_CLOSE = 0x8;

    static final int OPCODE_PING = 0x9;

    static final int OPCODE_PONG = 0xA;

    /** The largest header a frame can have: 2 + 8 length bytes + 4 mask bytes. */
    static final int MAX_HEADER = 14;

    private WsFrames() {
    }

    /**
     * Writes one final, masked frame into {@code target} from offset 0.
     *
     * @return the frame's length
     */
    static int encodeMasked(int opcode, byte[] payload, int payloadLength, byte[] target) {
        int position = 0;
        target[position++] = (byte) (0x80 | opcode);
        if (payloadLength < 126) {
            target[position++] = (byte) (0x80 | payloadLength);
        }
        else if (payloadLength <= 0xFFFF) {
            target[position++] = (byte) (0x80 | 126);
            target[position++] = (byte) (payloadLength >>> 8);
            target[position++] = (byte) payloadLength;
        }
        else {
            target[position++] = (byte) (0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                target[position++] = (byte) ((long) payloadLength >>> shift);
            }
        }
        int mask = ThreadLocalRandom.current().nextInt();
        byte[] maskBytes = { (byte) (mask >>> 24), (byte) (mask >>> 16), (byte) (mask >>> 8), (byte) mask };
        System.arraycopy(maskBytes, 0, target, position, 4);
        position += 4;
        for (int i = 0; i < payloadLength; i++) {
            target[position + i] = (byte) (payload[i] ^ maskBytes[i & 3]);
        }
        return position + payloadLength;
    }

    /**
     * Hands every complete frame in {@code buffer[offset, end)} to the sink, unmasking in place if needed.
     *
     * @return the offset of the first byte not consumed (the start of an incomplete frame, or {@code end})
     */
    static int parse(byte[] buffer, int offset, int end, FrameSink sink) {
        int position = offset;
        while (end - position >= 2) {
            int first = buffer[position] & 0xFF;
            int second = buffer[position + 1] & 0xFF;
            boolean masked = (second & 0x80) != 0;
            long length = second & 0x7F;
            int header = 2;
            if (length == 126) {
                if (end - position < 4) {
                    break;
                }
                length = ((buffer[position + 2] & 0xFF) << 8) | (buffer[position + 3] & 0xFF);
                header = 4;
            }
            else if (length == 127) {
                if (end - position < 10) {
                    break;
                }
                length = 0;
                for (int i = 2; i < 10; i++) {
                    length = (length << 8) | (buffer[position + i] & 0xFF);
                }
                header = 10;
            }
            if (masked) {
                header += 4;
            }
            if (length > Integer.MAX_VALUE - header || end - position < header + length) {
                break;
            }
            int payloadStart = position + header;
            if (masked) {
                int maskStart = payloadStart - 4;
                for (int i = 0; i < length; i++) {
                    buffer[payloadStart + i] ^= buffer[maskStart + (i & 3)];
                }
            }
            sink.onFrame((first & 0x80) != 0, first & 0x0F, buffer, payloadStart, (int) length);
            position = payloadStart + (int) length;
        }
        return position;
    }

    /**
     * The length a frame starting at {@code buffer[offset]} needs in all, or -1 if its header is incomplete.
     */
    static long frameLength(byte[] buffer, int offset, int end) {
        if (end - offset < 2) {
            return -1;
        }
        int second = buffer[offset + 1] & 0xFF;
        long length = second & 0x7F;
        int header = 2;
        if (length == 126) {
            if (end - offset < 4) {
                return -1;
            }
            length = ((buffer[offset + 2] & 0xFF) << 8) | (buffer[offset + 3] & 0xFF);
            header = 4;
        }
        else if (length == 127) {
            if (end - offset < 10) {
                return -1;
            }
            length = 0;
            for (int i = 2; i < 10; i++) {
                length = (length << 8) | (buffer[offset + i] & 0xFF);
            }
            header = 10;
        }
        return header + ((second & 0x80) != 0 ? 4 : 0) + length;
    }

    /**
     * Receives frames from {@link #parse}.
     */
    interface FrameSink {

        void onFrame(boolean fin, int opcode, byte[] buffer, int offset, int length);
    }
}
