package dev.fanout.sample;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The body of {@code GET /api/stats}, bounded whatever the number of topics: the {@value #MAX_TOPICS} topics with
 * the most subscribers, and totals over all of them.
 *
 * @param connections spokes connected to the hub now
 * @param topics at most {@value #MAX_TOPICS} topics with subscribers now, each with its subscriber count, the most
 *     subscribed first (ties by topic)
 * @param topicCount how many topics have subscribers now, all of them
 * @param subscriptions the subscriptions of all spokes to all topics now
 * @param eventsSent events the app dispatched to the hub since start (each counted once)
 * @param eventsReceived events the app received from spokes since start
 * @param backpressureDisconnects spokes closed with 1013 for reading too slowly since start
 * @param invalidChatMessages chat messages dropped as invalid since start
 */
public record HubStats(int connections, Map<String, Integer> topics, int topicCount, long subscriptions,
        long eventsSent, long eventsReceived, long backpressureDisconnects, long invalidChatMessages) {

    /** The most topics the statistics list. */
    public static final int MAX_TOPICS = 100;

    private static final Comparator<Map.Entry<String, Integer>> MOST_SUBSCRIBED_FIRST = Map.Entry
        .<String, Integer>comparingByValue()
        .reversed()
        .thenComparing(Map.Entry.comparingByKey());

    /**
     * The {@value #MAX_TOPICS} most subscribed topics of a snapshot, selected in one pass with a bounded heap.
     *
     * @param subscriberCounts every topic with its subscriber count
     * @return at most {@value #MAX_TOPICS} of them, the most subscribed first
     */
    static Map<String, Integer> mostSubscribed(Map<String, Integer> subscriberCounts) {
        PriorityQueue<Map.Entry<String, Integer>> top = new PriorityQueue<>(MOST_SUBSCRIBED_FIRST.reversed());
        for (Map.Entry<String, Integer> topic : subscriberCounts.entrySet()) {
            top.offer(topic);
            if (top.size() > MAX_TOPICS) {
                top.poll();
            }
        }
        Map<String, Integer> sorted = new LinkedHashMap<>();
        top.stream().sorted(MOST_SUBSCRIBED_FIRST).forEach((topic) -> sorted.put(topic.getKey(), topic.getValue()));
        return sorted;
    }
}
