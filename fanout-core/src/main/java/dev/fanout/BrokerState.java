package dev.fanout;

/**
 * Whether a {@link Broker} carries dispatches between the nodes of a cluster now.
 */
public enum BrokerState {

    /** Dispatches reach the subscribers on every node. */
    UP,

    /**
     * The broker's service is unreachable: dispatches reach this node's subscribers only, and this node receives
     * nothing from the others, until the broker is {@link #UP} again.
     */
    DOWN
}
