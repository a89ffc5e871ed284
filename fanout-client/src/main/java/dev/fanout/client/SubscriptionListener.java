package dev.fanout.client;

/**
 * Told how each subscription fared when the client restored it after a reconnect, in order, on the client's delivery
 * thread. A listener that throws is logged and changes nothing.
 */
public interface SubscriptionListener {

    /**
     * The hub acknowledged a resubscription. {@link SubscriptionAck#mayHaveMissedEvents()} says whether to re-fetch.
     *
     * @param ack the acknowledgement, with {@link SubscriptionAck#resubscription()} {@code true}
     */
    void onRestored(SubscriptionAck ack);

    /**
     * The hub refused a resubscription (for example {@code forbidden} after a permission was revoked); the client
     * has dropped the topic and does not subscribe to it again.
     *
     * @param topic the topic
     * @param error the hub's reply
     */
    void onRefused(String topic, HubErrorException error);
}
