package dev.fanout.spring.metrics;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

import org.jspecify.annotations.Nullable;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;

import dev.fanout.BrokerStatistics;
import dev.fanout.HubStatistics;
import dev.fanout.HubStatistics.CloseCode;
import dev.fanout.HubStatistics.IgnoredReason;

/**
 * Binds a hub's {@link HubStatistics} to Micrometer: every meter is a {@link FunctionCounter} or {@link Gauge} that
 * reads the hub's own counters when the registry is scraped, so Micrometer adds nothing to the dispatch path.
 *
 * <ul>
 * <li>Gauges: {@value #SPOKES_ACTIVE}, {@value #TOPICS_ACTIVE}, {@value #SUBSCRIPTIONS_ACTIVE},
 * {@value #SPOKE_BUFFERED_BYTES} (the total across spokes), {@value #PUBLISHERS_PAUSED} (spokes whose reading flow
 * control has paused).</li>
 * <li>Counters: {@value #EVENTS_DISPATCHED}, {@value #EVENTS_DELIVERED}, {@value #EVENTS_RECEIVED} (each tagged
 * {@value #TOPIC_PREFIX_TAG} when the hub keeps topic prefixes, otherwise untagged), {@value #INBOUND_IGNORED}
 * tagged {@code reason}, {@value #SPOKES_CLOSED} tagged {@code code} (1000, 1001, 1006, 1008, 1009, 1011, 1013 or
 * {@code other}; 1001 includes the spokes closed by the shutdown drain), {@value #SUBSCRIPTIONS_DENIED},
 * {@value #PUBLISHER_PAUSES}.</li>
 * <li>Broker, only for a hub in a cluster (a broker other than {@link dev.fanout.Broker#local()}): counters
 * {@value #BROKER_PUBLISHED}, {@value #BROKER_RECEIVED}, {@value #BROKER_DROPPED}, {@value #BROKER_RECOVERED} and
 * the timer {@value #BROKER_LAG} (publish on another node to receive here), read from {@link BrokerStatistics}.</li>
 * </ul>
 * No meter is tagged by topic: the number of topics has no bound.
 */
public final class FanoutMetrics implements MeterBinder {

    /** Gauge: spokes connected now. */
    public static final String SPOKES_ACTIVE = "fanout.spokes.active";

    /** Gauge: topics with subscribers now. */
    public static final String TOPICS_ACTIVE = "fanout.topics.active";

    /** Gauge: subscriptions now, summed over topics. */
    public static final String SUBSCRIPTIONS_ACTIVE = "fanout.subscriptions.active";

    /** Gauge: spokes whose reading flow control has paused now, until their subscribers drain. */
    public static final String PUBLISHERS_PAUSED = "fanout.publishers.paused";

    /** Counter: times flow control paused the reading of a spoke. */
    public static final String PUBLISHER_PAUSES = "fanout.publishers.pauses";

    /** Gauge: bytes buffered for sending now, summed over spokes. */
    public static final String SPOKE_BUFFERED_BYTES = "fanout.spoke.buffered.bytes";

    /** Counter: events dispatched to a topic, each counted once. */
    public static final String EVENTS_DISPATCHED = "fanout.events.dispatched";

    /** Counter: copies of dispatched events handed to spokes. */
    public static final String EVENTS_DELIVERED = "fanout.events.delivered";

    /** Counter: application events received from spokes. */
    public static final String EVENTS_RECEIVED = "fanout.events.received";

    /** Counter: inbound messages ignored, tagged {@code reason}. */
    public static final String INBOUND_IGNORED = "fanout.inbound.ignored";

    /** Counter: spokes closed, tagged {@code code}. */
    public static final String SPOKES_CLOSED = "fanout.spokes.closed";

    /** Counter: {@code __subscribe} requests refused. */
    public static final String SUBSCRIPTIONS_DENIED = "fanout.subscriptions.denied";

    /** Counter: frames this node published to the other nodes. */
    public static final String BROKER_PUBLISHED = "fanout.broker.published";

    /** Counter: frames from other nodes received here. */
    public static final String BROKER_RECEIVED = "fanout.broker.received";

    /** Counter: frames not published, or lost, because the broker's service was slow or down. */
    public static final String BROKER_DROPPED = "fanout.broker.dropped";

    /**
     * Counter: frames the broker's live channel lost that this node recovered from the cluster's shared history and
     * delivered in order (topics with history only).
     */
    public static final String BROKER_RECOVERED = "fanout.broker.recovered";

    /** Timer: lag from the publish on another node to the receive here. */
    public static final String BROKER_LAG = "fanout.broker.lag";

    /** The tag of the event counters when topic prefixes are configured. */
    public static final String TOPIC_PREFIX_TAG = "topic.prefix";

    private final HubStatistics statistics;

    private final ToLongFunction<CloseCode> extraCloses;

    private final @Nullable BrokerStatistics broker;

    /**
     * Creates the binder.
     *
     * @param statistics the hub's statistics
     * @param extraCloses closes the hub did not count itself, by code (such as the drain's 1001 closes of spokes it
     *     removed from the hub first)
     * @param broker the figures of the hub's cluster broker, or {@code null} for a single node (no broker meters)
     */
    public FanoutMetrics(HubStatistics statistics, ToLongFunction<CloseCode> extraCloses,
            @Nullable BrokerStatistics broker) {
        this.statistics = statistics;
        this.extraCloses = extraCloses;
        this.broker = broker;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        HubStatistics figures = this.statistics;
        gauge(registry, SPOKES_ACTIVE, "Spokes connected now", null, HubStatistics::activeSpokes);
        gauge(registry, TOPICS_ACTIVE, "Topics with at least one subscriber now", null, HubStatistics::activeTopics);
        gauge(registry, SUBSCRIPTIONS_ACTIVE, "Subscriptions now, summed over topics", null,
                HubStatistics::activeSubscriptions);
        gauge(registry, SPOKE_BUFFERED_BYTES, "Bytes buffered for sending now, summed over spokes", BaseUnits.BYTES,
                HubStatistics::bufferedBytes);
        gauge(registry, PUBLISHERS_PAUSED, "Spokes whose reading flow control has paused now", null,
                HubStatistics::pausedPublishers);
        counter(registry, PUBLISHER_PAUSES, "Times flow control paused the reading of a spoke", Tags.empty(),
                HubStatistics::publisherPauses);
        List<String> prefixes = figures.topicPrefixes();
        if (prefixes.isEmpty()) {
            counter(registry, EVENTS_DISPATCHED, "Events dispatched to a topic", Tags.empty(),
                    HubStatistics::eventsDispatched);
            counter(registry, EVENTS_DELIVERED, "Copies of dispatched events handed to spokes", Tags.empty(),
                    HubStatistics::eventsDelivered);
            counter(registry, EVENTS_RECEIVED, "Application events received from spokes", Tags.empty(),
                    HubStatistics::eventsReceived);
        }
        for (String prefix : prefixes) {
            Tags tags = Tags.of(TOPIC_PREFIX_TAG, prefix);
            counter(registry, EVENTS_DISPATCHED, "Events dispatched to a topic", tags,
                    (hub) -> hub.eventsDispatched(prefix));
            counter(registry, EVENTS_DELIVERED, "Copies of dispatched events handed to spokes", tags,
                    (hub) -> hub.eventsDelivered(prefix));
            counter(registry, EVENTS_RECEIVED, "Application events received from spokes", tags,
                    (hub) -> hub.eventsReceived(prefix));
        }
        for (IgnoredReason reason : IgnoredReason.values()) {
            counter(registry, INBOUND_IGNORED, "Inbound messages from spokes that were ignored",
                    Tags.of("reason", reason.tagValue()), (hub) -> hub.inboundIgnored(reason));
        }
        for (CloseCode code : CloseCode.values()) {
            counter(registry, SPOKES_CLOSED, "Spokes whose connection closed, by close code",
                    Tags.of("code", code.tagValue()),
                    (hub) -> hub.spokesClosed(code) + this.extraCloses.applyAsLong(code));
        }
        counter(registry, SUBSCRIPTIONS_DENIED, "Subscribe requests refused", Tags.empty(),
                HubStatistics::subscriptionsDenied);
        if (this.broker != null) {
            bindBroker(registry, this.broker);
        }
    }

    private static void bindBroker(MeterRegistry registry, BrokerStatistics broker) {
        FunctionCounter.builder(BROKER_PUBLISHED, broker, BrokerStatistics::published)
            .description("Frames this node published to the other nodes")
            .register(registry);
        FunctionCounter.builder(BROKER_RECEIVED, broker, BrokerStatistics::received)
            .description("Frames from other nodes received here")
            .register(registry);
        FunctionCounter.builder(BROKER_DROPPED, broker, BrokerStatistics::dropped)
            .description("Frames not published, or lost, because the broker's service was slow or down")
            .register(registry);
        FunctionCounter.builder(BROKER_RECOVERED, broker, BrokerStatistics::recovered)
            .description("Frames the broker's live channel lost that were recovered from the shared history")
            .register(registry);
        FunctionTimer.builder(BROKER_LAG, broker, BrokerStatistics::lagCount, BrokerStatistics::lagTotalNanos,
                TimeUnit.NANOSECONDS)
            .description("Lag from the publish on another node to the receive here")
            .register(registry);
    }

    private void gauge(MeterRegistry registry, String name, String description, @Nullable String unit,
            ToDoubleFunction<HubStatistics> value) {
        Gauge.builder(name, this.statistics, value)
            .description(description)
            .baseUnit(unit)
            .strongReference(true)
            .register(registry);
    }

    private void counter(MeterRegistry registry, String name, String description, Tags tags,
            ToDoubleFunction<HubStatistics> value) {
        FunctionCounter.builder(name, this.statistics, value).description(description).tags(tags).register(registry);
    }
}
