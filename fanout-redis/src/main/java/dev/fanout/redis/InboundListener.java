package dev.fanout.redis;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import io.lettuce.core.pubsub.RedisPubSubAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lettuce's listener on one pub/sub connection: messages go to the {@link InboundRouter} at once, on Lettuce's I/O
 * thread and in the order Redis sent them; SUBSCRIBE replies go to the control thread, which owns the session's
 * bookkeeping.
 *
 * <p>Called by Lettuce's I/O thread of the connection only.
 */
final class InboundListener extends RedisPubSubAdapter<String, ReceiveCodec.Received> {

    private static final Logger logger = LoggerFactory.getLogger(RedisBroker.class);

    private final InboundRouter router;

    private final ChannelNames channels;

    private final SubscriptionSession session;

    private final Executor control;

    InboundListener(InboundRouter router, ChannelNames channels, SubscriptionSession session, Executor control) {
        this.router = router;
        this.channels = channels;
        this.session = session;
        this.control = control;
    }

    @Override
    public void message(String channel, ReceiveCodec.Received message) {
        this.router.route(channel, message);
    }

    @Override
    public void subscribed(String channel, long count) {
        String topic = this.channels.topicOf(channel);
        if (topic == null) {
            return;
        }
        try {
            this.control.execute(() -> this.session.confirmed(topic));
        }
        catch (RejectedExecutionException ex) {
            logger.trace("Subscribed while closing", ex);
        }
    }
}
