package dev.fanout.client.endtoend;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.fanout.client.HubErrorException;
import dev.fanout.client.SubscriptionAck;
import dev.fanout.client.SubscriptionListener;
import dev.fanout.client.WebSocketClientEventTarget;

/**
 * What a client's {@link SubscriptionListener}s hear after its reconnects, in order: the restored subscriptions and
 * the refused ones. Thread-safe: the client's delivery thread adds, the test waits and reads.
 */
final class Resubscriptions implements SubscriptionListener {

    final List<SubscriptionAck> restored = new CopyOnWriteArrayList<>();

    final List<HubErrorException> refused = new CopyOnWriteArrayList<>();

    private Resubscriptions() {
    }

    static Resubscriptions of(WebSocketClientEventTarget client) {
        Resubscriptions resubscriptions = new Resubscriptions();
        client.addSubscriptionListener(resubscriptions);
        return resubscriptions;
    }

    @Override
    public void onRestored(SubscriptionAck ack) {
        this.restored.add(ack);
    }

    @Override
    public void onRefused(String topic, HubErrorException error) {
        this.refused.add(error);
    }
}
