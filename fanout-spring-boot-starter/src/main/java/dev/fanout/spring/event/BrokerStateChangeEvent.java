package dev.fanout.spring.event;

import java.util.Objects;

import org.springframework.context.ApplicationEvent;

import dev.fanout.Broker;
import dev.fanout.BrokerState;

/**
 * The hub's cluster {@link Broker} changed state: {@link BrokerState#DOWN DOWN} while it cannot reach its service
 * (dispatches then reach this node's spokes only), {@link BrokerState#UP UP} once dispatches travel between nodes
 * again. Its source is the broker. Published once per change, not per message.
 *
 * <p>Immutable. Listeners run on one of the broker's threads and must not block; one that throws is logged and
 * changes nothing else.
 */
public class BrokerStateChangeEvent extends ApplicationEvent {

    private final BrokerState state;

    /**
     * Creates the event.
     *
     * @param broker the broker whose state changed
     * @param state its state now
     */
    public BrokerStateChangeEvent(Broker broker, BrokerState state) {
        super(broker);
        this.state = Objects.requireNonNull(state, "state");
    }

    /**
     * The broker whose state changed.
     *
     * @return the broker
     */
    public Broker getBroker() {
        return (Broker) getSource();
    }

    /**
     * The broker's state now.
     *
     * @return the new state
     */
    public BrokerState getState() {
        return this.state;
    }

    @Override
    public String toString() {
        return "BrokerStateChangeEvent[" + this.state + ", " + getSource() + "]";
    }
}
