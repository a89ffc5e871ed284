package dev.fanout.redis;

/**
 * Counters of a {@link RedisBroker} since it was created.
 *
 * @param published frames Redis accepted for publishing
 * @param dropped frames not published because the outbound buffer was full or Redis was down
 * @param failed frames handed to Redis whose publish failed (the connection was lost before the reply)
 * @param delivered frames from other nodes handed to the local subscribers
 * @param malformed messages on our channels that were not a valid envelope, ignored
 * @param subscribedTopics topics this node is subscribed to in Redis now (confirmed)
 */
public record RedisBrokerStats(long published, long dropped, long failed, long delivered, long malformed,
        int subscribedTopics) {
}
