package dev.fanout.spring.websocket;

/**
 * The verdict on a drainer that is inside one blocking write: whether the {@link SendScheduler} gives up on it and
 * lets another drainer take over the ready queue. Stuck means inside that write for longer than
 * {@code waitingNanos} <em>and</em> waiting there ({@link DrainerProbe#isWaiting}: a peer that stopped reading and a
 * full TCP window), not merely descheduled on a busy machine, where replacing it would only add a thread to compete
 * for the same cores. A drainer inside one write for longer than {@code runningNanos} is given up on whatever its
 * state, so that a write that keeps its thread busy that long (a huge message being encoded, or a thread starved of
 * CPU for that long) cannot hold the ready queue either.
 *
 * @param waitingNanos how long a drainer may wait inside one write, more than {@code 0}
 * @param runningNanos how long a drainer may be inside one write in any state, at least {@code waitingNanos}
 * @param probe tells whether the drainer's thread waits
 */
record StuckDrainerRule(long waitingNanos, long runningNanos, DrainerProbe probe) {

    /**
     * Validates the limits.
     *
     * @throws IllegalArgumentException if {@code waitingNanos} is not positive or {@code runningNanos} is below it
     */
    StuckDrainerRule {
        if (waitingNanos <= 0 || runningNanos < waitingNanos) {
            throw new IllegalArgumentException("Need 0 < waitingNanos <= runningNanos, got " + waitingNanos + " and "
                    + runningNanos);
        }
    }

    /**
     * Judges one drainer; thread-safe.
     *
     * @param drainer the drainer's thread
     * @param insideWriteNanos how long it has been inside its current blocking write
     * @return whether another drainer should take over
     */
    boolean isStuck(Thread drainer, long insideWriteNanos) {
        if (insideWriteNanos > this.runningNanos) {
            return true;
        }
        return insideWriteNanos > this.waitingNanos && this.probe.isWaiting(drainer);
    }
}
