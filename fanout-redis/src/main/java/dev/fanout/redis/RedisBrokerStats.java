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
 * @param historyGapsRepaired gaps in the live events of topics with history (events pub/sub lost, for example while
 *     the subscribing connection was down) that this node filled from the {@link RedisHistoryStore}'s streams
 * @param historyGapEventsRecovered events of such gaps read from the streams and delivered to the local subscribers
 * @param historyGapEventsLost events of such gaps that could not be delivered: the stream no longer had them
 *     (trimmed by size or time to live), the read failed, or too many live events arrived meanwhile
 */
public record RedisBrokerStats(long published, long dropped, long failed, long delivered, long malformed,
        int subscribedTopics, long historyGapsRepaired, long historyGapEventsRecovered, long historyGapEventsLost) {
}
