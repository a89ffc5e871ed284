package dev.fanout;

import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

/**
 * Keeps the history of the topics that have one ({@link HistoryRule}): gives every event dispatched to such a topic
 * the topic's next offset, keeps it, and reads what it kept for a spoke that recovers. The hub is its only caller.
 * {@link #inMemory()} is the store of a single node; a cluster supplies one that all its nodes share, so that they
 * agree on offsets and epochs.
 *
 * <p><b>Thread safety.</b> Every method may be called from any number of threads at once. {@link #append} may run
 * on the application's dispatching thread and must not block on the network.
 *
 * @see HistoryOptions#store()
 */
public interface HistoryStore {

    /**
     * Appends one dispatch to a topic's history: assigns the topic's next offset, stamps the frame with it
     * ({@link #stamp}), keeps the stamped frame, and has it delivered to this node's subscribers through
     * {@code delivery}. The deliveries of one topic happen one at a time, in offset order, each exactly once; a
     * store that shares its history with other nodes delivers the frame on each of them.
     *
     * @param topic the topic
     * @param rule the rule of the topic: how much to keep
     * @param frame the serialized event, without an offset
     * @param delivery sends a stamped frame to the local subscribers of its topic
     */
    void append(String topic, HistoryRule rule, String frame, Delivery delivery);

    /**
     * Reads a topic's position and, of the events it still keeps with an offset greater than {@code afterOffset}, the
     * {@code limit} latest ones. A topic the store does not know yet starts a new epoch at offset 0 here, so that the
     * position a subscriber learns stays valid for the events that follow. The read completes only once the store has
     * delivered on this node every event up to the position's offset that it will deliver there: the hub sends a
     * recovering subscriber the events it read and then the live deliveries above that offset, so a delivery that came
     * after the read would be missed, or sent twice. A store whose live delivery can lag its reads (in a cluster)
     * waits for it.
     *
     * @param topic the topic
     * @param rule the rule of the topic
     * @param afterOffset only entries after this offset are wanted; 0 for all
     * @param limit the most entries wanted, zero or positive; 0 for the position only
     * @return the slice; a store whose service fails completes it exceptionally
     */
    CompletionStage<HistorySlice> read(String topic, HistoryRule rule, long afterOffset, int limit);

    /**
     * The frame of an event with its offset: the serialized event with {@code "offset":N} as its last member. Every
     * store stamps frames this way, so that a frame is serialized once per dispatch, whoever assigns the offset.
     *
     * @param frame the serialized event, a JSON object
     * @param offset the offset
     * @return the stamped frame
     * @throws IllegalArgumentException if the frame does not end with <code>}</code>
     */
    static String stamp(String frame, long offset) {
        int end = frame.length() - 1;
        if (end < 1 || frame.charAt(end) != '}') {
            throw new IllegalArgumentException("not a serialized event: " + frame);
        }
        String separator = (frame.charAt(end - 1) == '{') ? "\"offset\":" : ",\"offset\":";
        return new StringBuilder(frame.length() + 30).append(frame, 0, end)
            .append(separator)
            .append(offset)
            .append('}')
            .toString();
    }

    /**
     * The store of a single node: an in-memory ring per topic, bounded by the rule's size, whose epochs change
     * whenever the hub is created anew (a restart). A topic without subscribers that got no dispatch for its rule's
     * time to live is forgotten.
     *
     * @return a factory of in-memory stores
     */
    static Factory inMemory() {
        return InMemoryHistoryStore.FACTORY;
    }

    /**
     * Sends the stamped frames of a store to the local subscribers of their topic; implemented by the hub.
     */
    @FunctionalInterface
    interface Delivery {

        /**
         * Sends a stamped frame to the local subscribers of the topic. Returns at once.
         *
         * @param topic the topic
         * @param offset the frame's offset
         * @param frame the stamped frame
         */
        void deliver(String topic, long offset, String frame);
    }

    /**
     * Creates the store of one hub, once, when the hub is created.
     */
    @FunctionalInterface
    interface Factory {

        /**
         * Creates the store.
         *
         * @param context what the hub tells its store
         * @return the store
         */
        HistoryStore create(Context context);
    }

    /**
     * What the hub tells its history store.
     *
     * @param timeSource the hub's clock
     * @param hasLocalSubscribers whether a topic has subscribers on this node now (thread-safe)
     * @param broker the hub's broker, which a cluster's store may work with
     * @param delivery the hub's delivery of stamped frames, the one it passes to every {@link #append}: a store shared
     *     by a cluster sends the frames of every node through it, this node's own and those the other nodes appended,
     *     one at a time per topic, in offset order
     */
    record Context(TimeSource timeSource, Predicate<String> hasLocalSubscribers, Broker broker, Delivery delivery) {
    }
}
