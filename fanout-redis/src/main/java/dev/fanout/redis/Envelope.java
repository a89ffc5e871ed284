package dev.fanout.redis;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

import io.netty.buffer.ByteBuf;

/**
 * The message format on our channels, in UTF-8: {@code 2|<node id>|<publish time>|<frame>}. {@code 2} is the format
 * version; the node id ({@code [0-9a-z]}, 1 to 32 chars) names the publishing node, so that each node ignores its own
 * messages; the publish time is the publishing node's wall clock when it wrote the message to Redis, in microseconds
 * since the epoch (1 to 18 decimal digits), so the receiving node can measure the lag; the frame is the serialized
 * event exactly as the publishing hub sent it to its own spokes.
 *
 * <p>Nodes still accept version {@code 1}, {@code 1|<node id>|<frame>} (no publish time, so no lag is measured),
 * which nodes before the publish time was added send: a cluster can be upgraded one node at a time.
 *
 * <p>Version {@code 3}, {@code 3|<node id>|<publish time>|<offset>|<frame>}, carries a dispatch to a topic with
 * history: the {@link RedisHistoryStore}'s append script publishes it with the offset it assigned (1 to 18 decimal
 * digits) and the frame already stamped with it. Every node delivers it, the publishing node included, so that all
 * nodes deliver one topic's events in the same order.
 */
final class Envelope {

    /** The version this node publishes. */
    static final byte VERSION = '2';

    /** The version without the publish time, still received. */
    static final byte VERSION_WITHOUT_TIME = '1';

    /** The version of a stamped frame of a topic with history. */
    static final byte VERSION_STAMPED = '3';

    static final int MAX_TIME_DIGITS = 18;

    static final byte SEPARATOR = '|';

    static final int MAX_NODE_ID_LENGTH = 32;

    private Envelope() {
    }

    /** A random node id: 16 chars of {@code [0-9a-z]}, about 82 bits. */
    static String randomNodeId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder id = new StringBuilder(16);
        for (int i = 0; i < 16; i++) {
            id.append(Character.forDigit(random.nextInt(36), 36));
        }
        return id.toString();
    }

    static boolean isValidNodeId(String nodeId) {
        if (nodeId.isEmpty() || nodeId.length() > MAX_NODE_ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < nodeId.length(); i++) {
            if (!isNodeIdChar(nodeId.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static boolean isNodeIdChar(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z');
    }

    /**
     * The clock's time in microseconds since the epoch.
     *
     * @param clock the wall clock
     * @return the time, negative only for a clock set before 1970
     */
    static long epochMicros(Clock clock) {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    /**
     * Writes a non-negative number in decimal ASCII without an intermediate string.
     *
     * @param target the buffer to write to
     * @param value the number, at least 0
     */
    static void writeDecimal(ByteBuf target, long value) {
        int digits = 1;
        for (long rest = value / 10; rest > 0; rest /= 10) {
            digits++;
        }
        target.ensureWritable(digits);
        int at = target.writerIndex();
        long rest = value;
        for (int i = digits - 1; i >= 0; i--) {
            target.setByte(at + i, '0' + (int) (rest % 10));
            rest /= 10;
        }
        target.writerIndex(at + digits);
    }

    /** The bytes that start every message this node publishes: version, separator, node id, separator. */
    static byte[] headerOf(String nodeId) {
        return headerOf(VERSION, nodeId).getBytes(StandardCharsets.US_ASCII);
    }

    /** The start of a message of the given version from the given node: version, separator, node id, separator. */
    static String headerOf(byte version, String nodeId) {
        return "" + (char) version + (char) SEPARATOR + nodeId + (char) SEPARATOR;
    }
}
