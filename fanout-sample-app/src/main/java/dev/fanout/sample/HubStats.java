package dev.fanout.sample;

import java.util.Map;

/**
 * The body of {@code GET /api/stats}.
 *
 * @param connections spokes connected to the hub now
 * @param topics the topics with subscribers now, each with its subscriber count, sorted by topic
 * @param eventsSent events the app dispatched to the hub since start (each counted once)
 * @param eventsReceived events the app received from spokes since start
 * @param backpressureDisconnects spokes closed with 1013 for reading too slowly since start
 * @param invalidChatMessages chat messages dropped as invalid since start
 */
public record HubStats(int connections, Map<String, Integer> topics, long eventsSent, long eventsReceived,
        long backpressureDisconnects, long invalidChatMessages) {
}
