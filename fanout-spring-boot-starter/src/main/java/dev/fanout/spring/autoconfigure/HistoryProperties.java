package dev.fanout.spring.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import dev.fanout.HistoryOptions;
import dev.fanout.HistoryRule;

/**
 * Turns {@code fanout.history.*} into the hub's {@link HistoryOptions}, naming the property whose value is wrong.
 */
final class HistoryProperties {

    private HistoryProperties() {
    }

    /**
     * The history options of the properties.
     *
     * @throws IllegalArgumentException naming the property, if a rule or the recovery limit is invalid
     */
    static HistoryOptions toOptions(FanoutProperties.History history) {
        List<HistoryRule> rules = new ArrayList<>();
        for (int i = 0; i < history.getRules().size(); i++) {
            FanoutProperties.History.Rule rule = history.getRules().get(i);
            try {
                rules.add(new HistoryRule(rule.getPattern(), rule.getSize(), rule.getTtl()));
            }
            catch (IllegalArgumentException | NullPointerException ex) {
                throw new IllegalArgumentException("Invalid fanout.history.rules[" + i + "]: " + ex.getMessage(), ex);
            }
        }
        if (history.getMaxRecoveredEvents() <= 0) {
            throw new IllegalArgumentException("fanout.history.max-recovered-events must be positive, was "
                    + history.getMaxRecoveredEvents());
        }
        return HistoryOptions.of(rules).withMaxRecoveredEvents(history.getMaxRecoveredEvents());
    }
}
