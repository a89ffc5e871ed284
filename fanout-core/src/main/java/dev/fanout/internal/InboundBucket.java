package dev.fanout.internal;

import java.util.concurrent.TimeUnit;

import dev.fanout.InboundRateLimit;
import dev.fanout.TimeSource;

/**
 * The token bucket of one connection's {@link InboundRateLimit}, and how long the connection has been over it.
 * Thread-safe; the socket delivers one connection's messages sequentially, so its monitor is uncontended.
 */
final class InboundBucket {

    /** A bucket for {@link InboundRateLimit#unlimited()}: admits everything, holds no state. */
    static final InboundBucket UNLIMITED = new InboundBucket();

    private static final long MIN_DROP_GAP_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final boolean unlimited;

    private final TimeSource timeSource;

    private final double tokensPerNano;

    private final double capacity;

    private final long closeAfterNanos;

    private final long dropGapNanos;

    private double tokens;

    private long refilledAt;

    private boolean overLimit;

    private long overLimitSince;

    private long lastDropAt;

    private InboundBucket() {
        this.unlimited = true;
        this.timeSource = TimeSource.system();
        this.tokensPerNano = 0;
        this.capacity = 0;
        this.closeAfterNanos = 0;
        this.dropGapNanos = 0;
    }

    private InboundBucket(InboundRateLimit limit, TimeSource timeSource) {
        this.unlimited = false;
        this.timeSource = timeSource;
        this.tokensPerNano = limit.messagesPerSecond() / TimeUnit.SECONDS.toNanos(1);
        this.capacity = limit.burst();
        this.closeAfterNanos = saturatedNanos(limit);
        this.dropGapNanos = Math.max(MIN_DROP_GAP_NANOS, (long) (2 / this.tokensPerNano));
        this.tokens = this.capacity;
        this.refilledAt = timeSource.nanoTime();
    }

    static InboundBucket of(InboundRateLimit limit, TimeSource timeSource) {
        return limit.isUnlimited() ? UNLIMITED : new InboundBucket(limit, timeSource);
    }

    /**
     * Takes a token for one inbound message.
     */
    Verdict admit() {
        if (this.unlimited) {
            return Verdict.ADMITTED;
        }
        synchronized (this) {
            long now = this.timeSource.nanoTime();
            this.tokens = Math.min(this.capacity, this.tokens + (now - this.refilledAt) * this.tokensPerNano);
            this.refilledAt = now;
            if (this.tokens >= 1) {
                this.tokens -= 1;
                if (this.overLimit && now - this.lastDropAt >= this.dropGapNanos) {
                    this.overLimit = false;
                }
                return Verdict.ADMITTED;
            }
            if (!this.overLimit || now - this.lastDropAt >= this.dropGapNanos) {
                this.overLimit = true;
                this.overLimitSince = now;
            }
            this.lastDropAt = now;
            return (now - this.overLimitSince >= this.closeAfterNanos) ? Verdict.CLOSE : Verdict.DROPPED;
        }
    }

    private static long saturatedNanos(InboundRateLimit limit) {
        try {
            return limit.closeAfter().toNanos();
        }
        catch (ArithmeticException ex) {
            return Long.MAX_VALUE;
        }
    }

    enum Verdict {
        /** Handle the message. */
        ADMITTED,
        /** Drop it: over the limit. */
        DROPPED,
        /** Drop it and close the connection with 1008: over the limit for too long. */
        CLOSE
    }
}
