package dev.fanout.spring.actuate;

import java.time.Duration;
import java.util.OptionalLong;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.util.unit.DataSize;

import dev.fanout.HubStatistics;
import dev.fanout.WebSocketServerEventTarget;
import dev.fanout.spring.shutdown.SpokeDrain;

/**
 * The {@code fanout} Actuator endpoint: {@code GET /actuator/fanout} is a {@link Summary} of the hub and its limits,
 * {@code GET /actuator/fanout/{topic}} a {@link TopicSummary} of one topic (a topic may contain {@code /}). It never
 * lists every topic or spoke, so its answers stay small however large the hub. Thread-safe.
 */
@Endpoint(id = "fanout")
public final class FanoutEndpoint {

    private final WebSocketServerEventTarget hub;

    private final HubBrokerState broker;

    private final @Nullable SpokeDrain drain;

    private final @Nullable TopicOffsets offsets;

    private final Limits limits;

    /**
     * Creates the endpoint.
     *
     * @param hub the hub
     * @param broker the hub's broker link
     * @param drain the shutdown drain, if any
     * @param offsets the topic history, if any
     * @param limits the configured limits to show
     */
    public FanoutEndpoint(WebSocketServerEventTarget hub, HubBrokerState broker, @Nullable SpokeDrain drain,
            @Nullable TopicOffsets offsets, Limits limits) {
        this.hub = hub;
        this.broker = broker;
        this.drain = drain;
        this.offsets = offsets;
        this.limits = limits;
    }

    /**
     * The hub now.
     *
     * @return the summary
     */
    @ReadOperation
    public Summary summary() {
        HubStatistics statistics = this.hub.statistics();
        return new Summary(statistics.activeSpokes(), statistics.activeTopics(), statistics.activeSubscriptions(),
                statistics.bufferedBytes(), this.broker.describe(), acceptingSpokes(), this.limits);
    }

    /**
     * One topic now.
     *
     * @param topic the topic, in path segments
     * @return the topic's summary; a topic without subscribers has 0
     */
    @ReadOperation
    public TopicSummary topic(@Selector(match = Selector.Match.ALL_REMAINING) String[] topic) {
        String name = String.join("/", topic);
        OptionalLong latest = (this.offsets != null) ? this.offsets.latestOffset(name) : OptionalLong.empty();
        return new TopicSummary(name, this.hub.subscriberCount(name),
                latest.isPresent() ? latest.getAsLong() : null);
    }

    private boolean acceptingSpokes() {
        return this.drain == null || this.drain.isAcceptingSpokes();
    }

    /**
     * The body of {@code GET /actuator/fanout}.
     *
     * @param spokes spokes connected now
     * @param topics topics with subscribers now
     * @param subscriptions subscriptions now, summed over topics
     * @param bufferedBytes bytes buffered for sending now, summed over spokes
     * @param broker the broker link: {@code local} (a single node), {@code up} or {@code down}
     * @param acceptingSpokes {@code false} once the shutdown drain started
     * @param limits the configured limits
     */
    public record Summary(int spokes, int topics, long subscriptions, long bufferedBytes, String broker,
            boolean acceptingSpokes, Limits limits) {
    }

    /**
     * The body of {@code GET /actuator/fanout/{topic}}.
     *
     * @param topic the topic
     * @param subscribers spokes on this node subscribed to it now
     * @param latestOffset the offset of the latest event in its history, {@code null} without history
     */
    public record TopicSummary(String topic, int subscribers, @Nullable Long latestOffset) {
    }

    /**
     * The configured limits, as the endpoint shows them.
     *
     * @param backpressureThreshold most bytes buffered for one spoke before it is closed with 1013
     * @param maxMessageSize largest inbound message
     * @param maxTopicLength longest topic, in characters
     * @param maxSubscriptionsPerConnection most topics per connection
     * @param sendStallTimeout longest a send may stay unfinished
     * @param heartbeatInterval how often spokes are pinged
     * @param heartbeatTimeout how long a spoke may stay silent
     * @param drainPeriod time the shutdown drain spreads its closes over
     */
    public record Limits(DataSize backpressureThreshold, DataSize maxMessageSize, int maxTopicLength,
            int maxSubscriptionsPerConnection, Duration sendStallTimeout, Duration heartbeatInterval,
            Duration heartbeatTimeout, Duration drainPeriod) {
    }
}
