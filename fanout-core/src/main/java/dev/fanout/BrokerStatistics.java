package dev.fanout;

/**
 * A live, read-only view of a {@link Broker}'s figures, for monitoring: counters that only grow from the broker's
 * creation. Obtained from {@link Broker#statistics()}; a broker that keeps no figures returns {@link #NONE}.
 *
 * <p>Thread-safe: every method may be called from any thread at any time and returns at once, without I/O.
 */
public interface BrokerStatistics {

    /** The figures of a broker that keeps none (such as {@link Broker#local()}): every counter is zero. */
    BrokerStatistics NONE = new BrokerStatistics() {
    };

    /**
     * Frames this node published to the other nodes.
     *
     * @return the count since the broker was created
     */
    default long published() {
        return 0;
    }

    /**
     * Frames from other nodes this node received and handed to its subscribers.
     *
     * @return the count since the broker was created
     */
    default long received() {
        return 0;
    }

    /**
     * Frames this node did not publish, or published but lost, because the broker's service was slow or down.
     *
     * @return the count since the broker was created
     */
    default long dropped() {
        return 0;
    }

    /**
     * Frames the broker's live channel lost (a dropped connection, a lost message) that this node recovered from the
     * cluster's shared history and delivered, in order, to its subscribers. Only topics with history can be
     * recovered; what could not be is counted in {@link #dropped()}.
     *
     * @return the count since the broker was created
     */
    default long recovered() {
        return 0;
    }

    /**
     * How many of the {@link #received()} frames had their lag measured (publish on another node to receive here).
     *
     * @return the count since the broker was created
     */
    default long lagCount() {
        return 0;
    }

    /**
     * The summed lag, publish on another node to receive here, of the {@link #lagCount()} measured frames. Measured
     * with the nodes' wall clocks, so it is as accurate as their synchronisation.
     *
     * @return the total in nanoseconds
     */
    default long lagTotalNanos() {
        return 0;
    }
}
