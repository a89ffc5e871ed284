package dev.fanout.internal;

import java.time.Duration;

import dev.fanout.FlowControlOptions;
import dev.fanout.TimeSource;

/**
 * How a recovery's kept events are paced: they go out only while the recovering socket has at most
 * {@code maxBufferedBytes} buffered, and the rest wait for it to drain, checked every {@code retryInterval}. A replay
 * of more than the backpressure threshold is the hub outrunning a healthy reader, not a slow consumer, so it must not
 * be judged by the slow-consumer rule.
 *
 * @param timeSource schedules the next check
 * @param maxBufferedBytes the most bytes the socket may have buffered before the next kept event is sent
 * @param retryInterval how long a paced replay waits before it looks at the socket again
 */
record ReplayPacing(TimeSource timeSource, long maxBufferedBytes, Duration retryInterval) {

    /** The default time between two looks at a socket that a replay waits for. */
    static final Duration DEFAULT_RETRY_INTERVAL = Duration.ofMillis(5);

    /** No pacing: the kept events go out at once, whatever the socket buffered (for flows without history). */
    static final ReplayPacing UNPACED = new ReplayPacing(TimeSource.system(), Long.MAX_VALUE, DEFAULT_RETRY_INTERVAL);

    /**
     * The pacing of a hub: the marks of its flow control when it has it, so that a replay waits for a socket exactly
     * as a paused publisher does; otherwise half the backpressure threshold, so that a replay leaves room for the live
     * events.
     */
    static ReplayPacing of(TimeSource timeSource, long backpressureThreshold, FlowControlOptions flowControl) {
        return flowControl.enabled()
                ? new ReplayPacing(timeSource, flowControl.highWaterMark(), flowControl.checkInterval())
                : new ReplayPacing(timeSource, backpressureThreshold / 2, DEFAULT_RETRY_INTERVAL);
    }

    void later(Runnable task) {
        this.timeSource.schedule(this.retryInterval, task);
    }
}
