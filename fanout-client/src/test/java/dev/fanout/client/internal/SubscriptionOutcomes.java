package dev.fanout.client.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.fanout.client.HubErrorException;
import dev.fanout.client.SubscriptionAck;
import dev.fanout.client.SubscriptionListener;

/**
 * A {@link SubscriptionListener} that records what it hears in one list, in order: each restored subscription's
 * {@link SubscriptionAck} and each refusal's {@link HubErrorException}. Thread-safe.
 */
final class SubscriptionOutcomes implements SubscriptionListener {

    final List<Object> heard = new CopyOnWriteArrayList<>();

    @Override
    public void onRestored(SubscriptionAck ack) {
        this.heard.add(ack);
    }

    @Override
    public void onRefused(String topic, HubErrorException error) {
        this.heard.add(error);
    }
}
