package dev.fanout.spring.actuate;

import java.util.Locale;

import dev.fanout.Broker;
import dev.fanout.BrokerState;

/**
 * The state of a hub's link to the other nodes of its cluster, as the health indicator and the endpoint show it:
 * read from the hub's {@link Broker} each time, without I/O. Thread-safe.
 */
public final class HubBrokerState {

    /** The description of a hub without a cluster broker ({@link Broker#local()}). */
    public static final String LOCAL = "local";

    private final Broker broker;

    /**
     * Creates the view of a broker.
     *
     * @param broker the hub's broker; {@link Broker#local()} for a single node
     */
    public HubBrokerState(Broker broker) {
        this.broker = broker;
    }

    /**
     * Whether the link is down: dispatches then reach this node's spokes only.
     *
     * @return {@code true} while the broker is {@link BrokerState#DOWN}; never for a single node
     */
    public boolean isDown() {
        return !isLocal() && this.broker.state() == BrokerState.DOWN;
    }

    /**
     * The state in one word.
     *
     * @return {@value #LOCAL}, {@code up} or {@code down}
     */
    public String describe() {
        return isLocal() ? LOCAL : this.broker.state().name().toLowerCase(Locale.ROOT);
    }

    private boolean isLocal() {
        return this.broker == Broker.local();
    }
}
