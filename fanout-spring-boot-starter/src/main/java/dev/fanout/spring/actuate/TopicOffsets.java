package dev.fanout.spring.actuate;

import java.util.OptionalLong;

/**
 * The extension point through which topic history shows in {@code /actuator/fanout/{topic}}: a bean of this type
 * (provided by a history module, once one exists) tells the latest offset of a topic. Without such a bean the
 * endpoint reports no offset.
 */
@FunctionalInterface
public interface TopicOffsets {

    /**
     * The offset of the latest event kept in the topic's history. Must return at once, without network I/O that can
     * hang (the endpoint answers an operator's request).
     *
     * @param topic the topic
     * @return the latest offset, or empty when the topic has no history
     */
    OptionalLong latestOffset(String topic);
}
