package dev.fanout.internal;

import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.fanout.CloseCodes;
import dev.fanout.ErrorCodes;
import dev.fanout.HubStatistics.IgnoredReason;
import dev.fanout.InboundRateLimit;
import dev.fanout.WebSocketServerEventTarget;

/**
 * What a spoke sends, routed: each message is admitted by the connection's {@link InboundBucket} and decoded; an
 * event goes to the connection's listeners and the hub's, with the sending spoke recorded as this thread's
 * {@linkplain #publishingSpoke() publishing spoke} meanwhile (flow control pauses that spoke when the fan-out its
 * listeners cause backs up); a subscribe or unsubscribe goes to the connection's {@link SubscriptionFlow}; a refused
 * control message is answered with an error; anything else is counted and logged as ignored. Over the rate limit a
 * message is dropped (answered with {@code rate_limited} if it asked for a reply) or, if the spoke stays over it, the
 * spoke is closed.
 *
 * <p>Thread-safe: called on each connection's inbound thread, one message at a time per connection (the
 * {@code RawSocket} contract); the publishing spoke is per thread, so concurrent spokes do not see each other's.
 */
final class InboundRouter {

    private static final Logger logger = LoggerFactory.getLogger(WebSocketServerEventTarget.class);

    private final EventCodec codec;

    private final HubCounters counters;

    private final ListenerRegistry listeners;

    private final ControlReplies replies;

    private final RateLimitedLog problemLog;

    private final InboundRateLimit rateLimit;

    private final long backpressureThreshold;

    private final Consumer<Connection> closeOverRateLimit;

    private final ThreadLocal<@Nullable Connection> publishing = new ThreadLocal<>();

    /**
     * Creates the router.
     *
     * @param codec decodes the messages
     * @param counters counts what is received, ignored and dropped
     * @param listeners the hub's listeners
     * @param replies builds the error replies
     * @param problemLog logs unexpected input, rate-limited
     * @param rateLimit the inbound rate limit, for the log
     * @param backpressureThreshold a reply to a dropped message is only sent while the spoke has buffered at most half
     *     of it
     * @param closeOverRateLimit closes and removes a spoke that stayed over the rate limit
     */
    InboundRouter(EventCodec codec, HubCounters counters, ListenerRegistry listeners, ControlReplies replies,
            RateLimitedLog problemLog, InboundRateLimit rateLimit, long backpressureThreshold,
            Consumer<Connection> closeOverRateLimit) {
        this.codec = codec;
        this.counters = counters;
        this.listeners = listeners;
        this.replies = replies;
        this.problemLog = problemLog;
        this.rateLimit = rateLimit;
        this.backpressureThreshold = backpressureThreshold;
        this.closeOverRateLimit = closeOverRateLimit;
    }

    void receive(Connection from, String text) {
        if (from.isConnected()) {
            InboundBucket.Verdict verdict = from.inboundBucket().admit();
            InboundMessage message = this.codec.decode(text);
            if (verdict == InboundBucket.Verdict.ADMITTED) {
                handle(from, message, text);
            }
            else {
                overLimit(from, message, verdict);
            }
        }
    }

    void receive(Connection from, byte[] data) {
        if (from.isConnected()) {
            InboundBucket.Verdict verdict = from.inboundBucket().admit();
            InboundMessage message = this.codec.decode(data);
            if (verdict == InboundBucket.Verdict.ADMITTED) {
                handle(from, message, "<" + data.length + " bytes>");
            }
            else {
                overLimit(from, message, verdict);
            }
        }
    }

    /**
     * The spoke whose event this thread is delivering to listeners, if any.
     *
     * @return the spoke, or {@code null} outside a listener call of a spoke's event
     */
    @Nullable Connection publishingSpoke() {
        return this.publishing.get();
    }

    private void handle(Connection from, InboundMessage message, CharSequence raw) {
        if (message instanceof InboundMessage.SpokeEvent spokeEvent) {
            this.counters.received(spokeEvent.event().type());
            Connection outer = this.publishing.get();
            this.publishing.set(from);
            try {
                from.fire(spokeEvent.event());
                this.listeners.fire(spokeEvent.event(), from);
            }
            finally {
                this.publishing.set(outer);
            }
        }
        else if (message instanceof InboundMessage.Subscribe subscribe) {
            from.subscriptionFlow().subscribe(subscribe.topic(), subscribe.replyId(), subscribe.history());
        }
        else if (message instanceof InboundMessage.Unsubscribe unsubscribe) {
            from.subscriptionFlow().unsubscribe(unsubscribe.topic(), unsubscribe.replyId());
        }
        else if (message instanceof InboundMessage.RefusedControl refused) {
            this.counters.ignored(refused.reason());
            logIgnored(from, refused.problem(), refused.expected(), raw);
            from.subscriptionFlow().reply(this.replies.error(refused.replyId(), refused.topic(), refused.code(),
                    refused.problem()));
        }
        else if (message instanceof InboundMessage.Ignored ignored) {
            this.counters.ignored(ignored.reason());
            logIgnored(from, ignored.problem(), ignored.expected(), raw);
        }
    }

    private void overLimit(Connection from, InboundMessage dropped, InboundBucket.Verdict verdict) {
        this.counters.ignored(IgnoredReason.RATE_LIMITED);
        if (verdict == InboundBucket.Verdict.CLOSE) {
            this.problemLog.warn("{} stayed over the inbound rate limit of {}; closing it with {}", from,
                    this.rateLimit, CloseCodes.POLICY_VIOLATION);
            this.closeOverRateLimit.accept(from);
            return;
        }
        logger.debug("Dropped a message from {}: over the inbound rate limit", from);
        String id = dropped.replyId();
        if (id != null && from.socket().bufferedAmount() <= this.backpressureThreshold / 2) {
            from.subscriptionFlow().reply(this.replies.error(id, dropped.topic(), ErrorCodes.RATE_LIMITED,
                    "over the inbound rate limit; the message was dropped"));
        }
    }

    private void logIgnored(Connection from, String problem, boolean expected, CharSequence raw) {
        if (expected) {
            logger.debug("Ignored a message from {}: {}: {}", from, problem, RateLimitedLog.excerpt(raw));
        }
        else {
            this.problemLog.warn("Ignored a message from {}: {}: {}", from, problem, RateLimitedLog.excerpt(raw));
        }
    }
}
