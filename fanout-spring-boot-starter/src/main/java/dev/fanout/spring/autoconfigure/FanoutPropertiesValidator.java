package dev.fanout.spring.autoconfigure;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.Errors;

import dev.fanout.FlowControlOptions;
import dev.fanout.HubStatistics;
import dev.fanout.WebSocketServerOptions;
import dev.fanout.HistoryRule;

/**
 * The rules {@link FanoutProperties} are checked against when Boot binds them, so that a bad value fails start-up
 * with a message naming the property ({@code fanout.path}, {@code fanout.heartbeat.timeout}, …) instead of an
 * exception from deep inside a bean. Stateless.
 *
 * <p>Fields are rejected under their canonical (dashed) property names: Boot's binder reports each error as
 * {@code fanout.<field>}, so that is the name a user sees and searches for.
 */
final class FanoutPropertiesValidator {

    private static final Pattern PLAIN_PATH = Pattern.compile("/[^\\s*?{}]*");

    private FanoutPropertiesValidator() {
    }

    static void validate(FanoutProperties properties, Errors errors) {
        if (!PLAIN_PATH.matcher(properties.getPath()).matches()) {
            errors.rejectValue("path", "fanout.path", "must be a plain path starting with '/', such as /fanout "
                    + "(no whitespace, no wildcards or variables); a page then connects with connect('<path>')");
        }
        requireNoBlank(errors, "allowed-origins", properties.getAllowedOrigins());
        requireNoBlank(errors, "allowed-origin-patterns", properties.getAllowedOriginPatterns());
        requirePositive(errors, "max-message-size", properties.getMaxMessageSize());
        requirePositive(errors, "backpressure.threshold", properties.getBackpressure().getThreshold());
        requirePositive(errors, "max-topic-length", properties.getMaxTopicLength());
        requirePositive(errors, "max-subscriptions-per-connection", properties.getMaxSubscriptionsPerConnection());
        requirePositive(errors, "send-stall-timeout", properties.getSendStallTimeout());
        requirePositive(errors, "authorization.timeout", properties.getAuthorization().getTimeout());
        double rateLimit = properties.getInbound().getRateLimit();
        if (!(rateLimit >= 0) || Double.isInfinite(rateLimit)) {
            errors.rejectValue("inbound.rate-limit", "fanout.positive", "must be a number of messages per second, "
                    + "such as 500, or 0 to turn the inbound limit off");
        }
        requirePositive(errors, "inbound.burst", properties.getInbound().getBurst());
        requirePositive(errors, "inbound.close-after", properties.getInbound().getCloseAfter());
        validateHistory(errors, properties.getHistory());
        validateFlowControl(errors, properties.getFlowControl(), properties.getBackpressure().getThreshold());
        Duration interval = properties.getHeartbeat().getInterval();
        Duration timeout = properties.getHeartbeat().getTimeout();
        if (requirePositive(errors, "heartbeat.interval", interval) && timeout != null
                && timeout.compareTo(interval.multipliedBy(2)) <= 0) {
            errors.rejectValue("heartbeat.timeout", "fanout.heartbeat.timeout", "must be more than twice "
                    + "fanout.heartbeat.interval (" + interval + "), or every spoke that is quiet for one interval "
                    + "is closed although it answers each ping; e.g. " + interval.multipliedBy(2).plusSeconds(10));
        }
        Duration drainPeriod = properties.getShutdown().getDrainPeriod();
        if (drainPeriod == null || drainPeriod.isNegative()) {
            errors.rejectValue("shutdown.drain-period", "fanout.not-negative",
                    "must be zero (close every spoke at once) or a positive duration, such as 10s");
        }
        validateTopicPrefixTags(errors, properties.getMetrics().getTopicPrefixTags());
    }

    private static void validateTopicPrefixTags(Errors errors, @Nullable List<String> prefixes) {
        if (prefixes == null) {
            return;
        }
        if (prefixes.size() > WebSocketServerOptions.MAX_STATISTICS_TOPIC_PREFIXES) {
            errors.rejectValue("metrics.topic-prefix-tags", "fanout.too-many", "must list at most "
                    + WebSocketServerOptions.MAX_STATISTICS_TOPIC_PREFIXES + " prefixes (each is one more tag value "
                    + "of every event counter), had " + prefixes.size());
        }
        else if (prefixes.stream().anyMatch((prefix) -> prefix == null || prefix.isBlank()
                || HubStatistics.OTHER_PREFIX.equals(prefix)) || new HashSet<>(prefixes).size() != prefixes.size()) {
            errors.rejectValue("metrics.topic-prefix-tags", "fanout.prefixes", "must list distinct, non-empty "
                    + "prefixes, none of them '" + HubStatistics.OTHER_PREFIX + "' (the tag of every other topic)");
        }
    }

    private static void validateFlowControl(Errors errors, FanoutProperties.FlowControl flowControl,
            @Nullable DataSize threshold) {
        if (!flowControl.isEnabled()) {
            return;
        }
        requirePositive(errors, "flow-control.check-interval", flowControl.getCheckInterval());
        requirePositive(errors, "flow-control.drain-timeout", flowControl.getDrainTimeout());
        if (threshold == null || threshold.toBytes() <= 0) {
            return;
        }
        DataSize high = flowControl.getHighWaterMark();
        DataSize low = flowControl.getLowWaterMark();
        if (high == null && low == null) {
            return;
        }
        if (high != null && (high.toBytes() <= 0 || high.toBytes() >= threshold.toBytes())) {
            errors.rejectValue("flow-control.high-water-mark", "fanout.flow-control.high-water-mark", "must be a "
                    + "positive size below fanout.backpressure.threshold (" + threshold + "), such as "
                    + DataSize.ofBytes(threshold.toBytes() / FlowControlOptions.HIGH_WATER_DIVISOR)
                    + "; leave it unset for a quarter of the threshold");
            return;
        }
        long highBytes = flowControl.highWaterMarkBytes(threshold.toBytes());
        if (highBytes <= 0) {
            errors.rejectValue("backpressure.threshold", "fanout.flow-control", "leaves no room for the flow "
                    + "control's marks below it: raise it to at least 4B, or set fanout.flow-control.enabled=false");
            return;
        }
        if (low != null && (low.toBytes() < 0 || low.toBytes() >= highBytes)) {
            errors.rejectValue("flow-control.low-water-mark", "fanout.flow-control.low-water-mark", "must be a "
                    + "size below fanout.flow-control.high-water-mark (" + DataSize.ofBytes(highBytes) + "), such as "
                    + DataSize.ofBytes(highBytes / 4) + "; leave it unset for a sixteenth of the threshold (or a "
                    + "quarter of the high-water mark, if less)");
        }
    }

    private static void validateHistory(Errors errors, FanoutProperties.History history) {
        requirePositive(errors, "history.max-recovered-events", history.getMaxRecoveredEvents());
        List<FanoutProperties.History.Rule> rules = history.getRules();
        for (int i = 0; i < rules.size(); i++) {
            FanoutProperties.History.Rule rule = rules.get(i);
            try {
                new HistoryRule(rule.getPattern(), rule.getSize(), rule.getTtl());
            }
            catch (IllegalArgumentException | NullPointerException ex) {
                errors.rejectValue("history.rules[" + i + "]", "fanout.history.rule", "is not a valid history rule ("
                        + ex.getMessage() + "); a rule has a pattern (a topic such as chat, or a prefix ending in *, "
                        + "such as prices.*), a positive size and a positive ttl");
            }
        }
    }

    private static void requireNoBlank(Errors errors, String field, @Nullable List<String> values) {
        if (values != null && values.stream().anyMatch((value) -> value == null || value.isBlank())) {
            errors.rejectValue(field, "fanout.blank", "must not contain an empty entry");
        }
    }

    private static void requirePositive(Errors errors, String field, @Nullable DataSize size) {
        if (size == null || size.toBytes() <= 0) {
            errors.rejectValue(field, "fanout.positive", "must be a positive size, such as 64KB or 1MB");
        }
    }

    private static void requirePositive(Errors errors, String field, int value) {
        if (value <= 0) {
            errors.rejectValue(field, "fanout.positive", "must be a positive number");
        }
    }

    private static boolean requirePositive(Errors errors, String field, @Nullable Duration duration) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            errors.rejectValue(field, "fanout.positive", "must be a positive duration, such as 500ms or 10s");
            return false;
        }
        return true;
    }
}
