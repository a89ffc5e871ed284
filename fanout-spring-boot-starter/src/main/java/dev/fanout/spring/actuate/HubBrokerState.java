package dev.fanout.spring.actuate;

/**
 * The state of a hub's link to the other nodes of its cluster, as the health indicator and the endpoint show it.
 * Thread-safe.
 */
public final class HubBrokerState {

    /** The description of a hub without a cluster broker. */
    public static final String LOCAL = "local";

    /**
     * The state of a hub that is a single node: never down.
     *
     * @return the local state
     */
    public static HubBrokerState local() {
        return new HubBrokerState();
    }

    private HubBrokerState() {
    }

    /**
     * Whether the link is down: dispatches then reach this node's spokes only.
     *
     * @return {@code false} for a single node
     */
    public boolean isDown() {
        return false;
    }

    /**
     * The state in one word.
     *
     * @return {@value #LOCAL}, {@code up} or {@code down}
     */
    public String describe() {
        return LOCAL;
    }
}
