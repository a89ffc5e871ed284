package dev.fanout.redis;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The message format on our channels: {@code 1|<node id>|<frame>}, in UTF-8. {@code 1} is the format version; the
 * node id ({@code [0-9a-z]}, 1 to 32 chars) names the publishing node, so that each node ignores its own messages;
 * the frame is the serialized event exactly as the publishing hub sent it to its own spokes.
 */
final class Envelope {

    static final byte VERSION = '1';

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

    /** The bytes that start every message this node publishes: version, separator, node id, separator. */
    static byte[] headerOf(String nodeId) {
        return ("" + (char) VERSION + (char) SEPARATOR + nodeId + (char) SEPARATOR).getBytes(StandardCharsets.US_ASCII);
    }
}
