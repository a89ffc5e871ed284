package dev.fanout.redis;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

/**
 * The broker's two connections to Redis, opened, used and lost together: losing either ends the link.
 *
 * <p>Its {@link SubscriptionSession.Commands} are sent on the subscribing connection without waiting for the reply.
 * Thread-safe as Lettuce's connections are; the broker sends subscription commands from its control thread only, so
 * that they reach Redis in order.
 *
 * @param subscribing the pub/sub connection (RESP2)
 * @param publishing the connection the {@link OutboundPublisher} pipelines its PUBLISH commands on
 */
record RedisLink(StatefulRedisPubSubConnection<String, ReceiveCodec.Received> subscribing,
        StatefulRedisConnection<String, String> publishing) implements SubscriptionSession.Commands {

    @Override
    public void subscribe(String... channels) {
        this.subscribing.async().subscribe(channels);
    }

    @Override
    public void unsubscribe(String channel) {
        this.subscribing.async().unsubscribe(channel);
    }

    /** Whether both connections are open. */
    boolean isOpen() {
        return this.subscribing.isOpen() && this.publishing.isOpen();
    }

    /** Whether the connection is one of the two. */
    boolean owns(Object connection) {
        return connection == this.subscribing || connection == this.publishing;
    }
}
