package dev.fanout.client;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The hub's acknowledgement ({@code __ack}) of a subscription: it is effective on the hub, and events of the topic
 * follow.
 *
 * @param topic the topic
 * @param resubscription {@code false} for the acknowledgement that completes {@link WebSocketClientEventTarget#subscribe},
 *     {@code true} for the ones of the resubscriptions after a reconnect
 * @param recovery whether events missed while disconnected are recovered
 * @param position the topic's position after the acknowledgement, if the hub keeps history for it
 */
public record SubscriptionAck(String topic, boolean resubscription, Recovery recovery,
        @Nullable StreamPosition position) {

    /**
     * Validates the acknowledgement.
     *
     * @throws NullPointerException if the topic or the recovery is {@code null}
     */
    public SubscriptionAck {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(recovery, "recovery");
    }

    /**
     * Whether the spoke may have missed events of this topic: a resubscription that was not {@link Recovery#RECOVERED}.
     *
     * @return {@code true} if the app should re-fetch the topic's state
     */
    public boolean mayHaveMissedEvents() {
        return this.resubscription && this.recovery != Recovery.RECOVERED;
    }
}
