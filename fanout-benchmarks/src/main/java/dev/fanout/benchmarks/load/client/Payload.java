package dev.fanout.benchmarks.load.client;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The benchmark event's payload, the same JSON object for both servers: {@code {"seq":N,"t":NANOS,"pad":"xx…"}},
 * padded to the requested size. {@code seq} is the sequence number (negative for warm-up events, {@link #PROBE} for
 * the probes that find out whether every subscriber is subscribed) and {@code t} the publisher's
 * {@link System#nanoTime()} just before the send.
 */
final class Payload {

    /** The sequence number of a probe event. */
    static final long PROBE = -1_000_000_000L;

    private static final byte[] SEQ_KEY = "\"seq\":".getBytes(StandardCharsets.US_ASCII);

    private static final byte[] T_KEY = ",\"t\":".getBytes(StandardCharsets.US_ASCII);

    private Payload() {
    }

    /** The payload with the given sequence number and send time, about {@code size} bytes long (at least the keys). */
    static byte[] encode(long seq, long sentAtNanos, int size) {
        String head = "{\"seq\":" + seq + ",\"t\":" + sentAtNanos + ",\"pad\":\"";
        int padLength = Math.max(0, size - head.length() - 2);
        byte[] bytes = new byte[head.length() + padLength + 2];
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(headBytes, 0, bytes, 0, headBytes.length);
        Arrays.fill(bytes, headBytes.length, headBytes.length + padLength, (byte) 'x');
        bytes[bytes.length - 2] = '"';
        bytes[bytes.length - 1] = '}';
        return bytes;
    }

    /**
     * Finds {@code seq} and {@code t} in a received message (a fanout event or a STOMP MESSAGE frame).
     *
     * @param out receives {@code seq} at index 0 and {@code t} at index 1
     * @return {@code false} if the message carries no benchmark payload
     */
    static boolean decode(byte[] buffer, int offset, int length, long[] out) {
        int end = offset + length;
        int seqAt = indexOf(buffer, offset, end, SEQ_KEY);
        if (seqAt < 0) {
            return false;
        }
        int position = seqAt + SEQ_KEY.length;
        boolean negative = position < end && buffer[position] == '-';
        if (negative) {
            position++;
        }
        long seq = 0;
        while (position < end && buffer[position] >= '0' && buffer[position] <= '9') {
            seq = seq * 10 + (buffer[position++] - '0');
        }
        if (!startsWith(buffer, position, end, T_KEY)) {
            return false;
        }
        position += T_KEY.length;
        long sentAt = 0;
        while (position < end && buffer[position] >= '0' && buffer[position] <= '9') {
            sentAt = sentAt * 10 + (buffer[position++] - '0');
        }
        out[0] = negative ? -seq : seq;
        out[1] = sentAt;
        return true;
    }

    private static int indexOf(byte[] buffer, int from, int end, byte[] pattern) {
        byte first = pattern[0];
        for (int i = from; i + pattern.length <= end; i++) {
            if (buffer[i] == first && startsWith(buffer, i, end, pattern)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWith(byte[] buffer, int at, int end, byte[] pattern) {
        if (end - at < pattern.length) {
            return false;
        }
        for (int j = 0; j < pattern.length; j++) {
            if (buffer[at + j] != pattern[j]) {
                return false;
            }
        }
        return true;
    }
}
