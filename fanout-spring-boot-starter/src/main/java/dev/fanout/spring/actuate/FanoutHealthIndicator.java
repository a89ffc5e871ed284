package dev.fanout.spring.actuate;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import dev.fanout.HubStatistics;
import dev.fanout.WebSocketServerEventTarget;
import dev.fanout.spring.shutdown.SpokeDrain;

/**
 * The {@code fanout} health indicator: {@code DOWN} while the broker link to the other nodes is down (dispatches then
 * reach this node's spokes only), {@code OUT_OF_SERVICE} once the shutdown drain started, {@code UP} otherwise;
 * details {@code broker}, {@code spokes} and {@code topics}. Add it to the readiness group
 * ({@code management.endpoint.health.group.readiness.include=readinessState,fanout}) so that a load balancer stops
 * sending spokes to a node that lost its cluster link. Thread-safe; costs no I/O.
 */
public final class FanoutHealthIndicator extends AbstractHealthIndicator {

    private final WebSocketServerEventTarget hub;

    private final HubBrokerState broker;

    private final @Nullable SpokeDrain drain;

    /**
     * Creates the indicator.
     *
     * @param hub the hub
     * @param broker the hub's broker link
     * @param drain the shutdown drain, if any
     */
    public FanoutHealthIndicator(WebSocketServerEventTarget hub, HubBrokerState broker, @Nullable SpokeDrain drain) {
        super("fanout health check failed");
        this.hub = hub;
        this.broker = broker;
        this.drain = drain;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        HubStatistics statistics = this.hub.statistics();
        if (this.broker.isDown()) {
            builder.down();
        }
        else if (this.drain != null && !this.drain.isAcceptingSpokes()) {
            builder.outOfService();
        }
        else {
            builder.up();
        }
        builder.withDetail("broker", this.broker.describe())
            .withDetail("spokes", statistics.activeSpokes())
            .withDetail("topics", statistics.activeTopics());
    }
}
