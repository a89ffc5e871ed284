package dev.fanout.redis;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.fanout.Broker;

/**
 * Where the messages of the pub/sub connection go: another node's frame to the hub's subscribers of its topic, as
 * received; a stamped frame (a topic with history) to the history store, whichever node appended it; a message that is
 * no valid envelope nowhere, counted and logged at WARN at most once per {@link #MALFORMED_WARN_INTERVAL}. This node's
 * own plain frames are ignored: its spokes had them when it dispatched them.
 *
 * <p>Thread-safe. {@link #route} runs on Lettuce's I/O thread, one message at a time in Redis's order.
 */
final class InboundRouter {

    /** At most one WARN per this interval about malformed messages; the others go to DEBUG. */
    static final Duration MALFORMED_WARN_INTERVAL = Duration.ofSeconds(10);

    private static final Logger logger = LoggerFactory.getLogger(RedisBroker.class);

    /** Receives the stamped frames of topics with history, in offset order. */
    @FunctionalInterface
    interface HistorySink {

        /** A stamped frame arrived, appended by this node or another; called on Lettuce's I/O thread. */
        void delivered(String topic, long offset, String frame);
    }

    private final ChannelNames channels;

    private final LagMeter lag;

    private final LongAdder delivered = new LongAdder();

    private final LongAdder malformed = new LongAdder();

    private final RateLimitedWarning malformedWarning;

    private volatile Broker.@Nullable Node node;

    private volatile @Nullable HistorySink history;

    InboundRouter(ChannelNames channels, LagMeter lag) {
        this(channels, lag, System::nanoTime);
    }

    /** A router whose rate limit reads the given monotonic clock, in nanoseconds. */
    InboundRouter(ChannelNames channels, LagMeter lag, LongSupplier nanoClock) {
        this.channels = channels;
        this.lag = lag;
        this.malformedWarning = new RateLimitedWarning(logger, MALFORMED_WARN_INTERVAL, nanoClock);
    }

    /** Frames go to this hub from now on; before, they are dropped. */
    void attach(Broker.Node hub) {
        this.node = hub;
    }

    /** Stamped frames go to this store from now on; without one, other nodes' stamped frames go out as plain ones. */
    void attachHistory(HistorySink sink) {
        this.history = sink;
    }

    /**
     * Routes one message of the pub/sub connection.
     *
     * @param channel the channel it came on
     * @param received the decoded message
     */
    void route(String channel, ReceiveCodec.Received received) {
        if (received instanceof ReceiveCodec.Received.Frame frame) {
            String topic = this.channels.topicOf(channel);
            Broker.Node hub = this.node;
            if (topic != null && hub != null) {
                if (frame.hasPublishTime()) {
                    this.lag.received(frame.publishedAtMicros());
                }
                this.delivered.increment();
                hub.deliver(topic, frame.frame());
            }
        }
        else if (received instanceof ReceiveCodec.Received.Stamped stamped) {
            routeStamped(channel, stamped);
        }
        else if (received instanceof ReceiveCodec.Received.Malformed bad) {
            this.malformed.increment();
            warnMalformed(channel, bad);
        }
    }

    /**
     * Frames from other nodes handed to the hub.
     *
     * @return the count since creation
     */
    long delivered() {
        return this.delivered.sum();
    }

    /**
     * Messages on our channels that were no valid envelope.
     *
     * @return the count since creation
     */
    long malformed() {
        return this.malformed.sum();
    }

    /**
     * Only the other nodes' stamped frames count as received and for the lag, as for plain frames.
     */
    private void routeStamped(String channel, ReceiveCodec.Received.Stamped stamped) {
        String topic = this.channels.topicOf(channel);
        Broker.Node hub = this.node;
        if (topic == null || hub == null) {
            return;
        }
        if (!stamped.own()) {
            this.lag.received(stamped.publishedAtMicros());
            this.delivered.increment();
        }
        HistorySink sink = this.history;
        if (sink != null) {
            sink.delivered(topic, stamped.offset(), stamped.frame());
        }
        else if (!stamped.own()) {
            hub.deliver(topic, stamped.frame());
        }
    }

    private void warnMalformed(String channel, ReceiveCodec.Received.Malformed bad) {
        if (this.malformedWarning.claimWarning()) {
            logger.warn("Ignored a message on {}: {}: '{}' ({} ignored so far; next warning in {}s at the earliest)",
                    printable(channel), bad.problem(), printable(bad.excerpt()), this.malformed.sum(),
                    MALFORMED_WARN_INTERVAL.toSeconds());
        }
        else {
            logger.debug("Ignored a message on {}: {}", printable(channel), bad.problem());
        }
    }

    private static String printable(String untrusted) {
        StringBuilder out = new StringBuilder(Math.min(untrusted.length(), 100));
        untrusted.codePoints()
            .limit(100)
            .forEach((c) -> out.append(Character.isISOControl(c) ? "\\u" + String.format("%04x", c)
                    : new String(Character.toChars(c))));
        return out.toString();
    }
}
