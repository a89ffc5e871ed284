package dev.fanout.internal;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;

/**
 * Logs at WARN at most once per interval and at DEBUG otherwise, so that a spoke sending garbage in a loop cannot
 * flood the log. The next WARN reports how many were suppressed. Thread-safe.
 */
final class RateLimitedLog {

    private static final int MAX_EXCERPT_CHARS = 80;

    private final Logger logger;

    private final long intervalNanos;

    private final AtomicLong nextWarnAt;

    private final AtomicLong suppressed = new AtomicLong();

    RateLimitedLog(Logger logger, Duration interval) {
        this.logger = logger;
        this.intervalNanos = interval.toNanos();
        this.nextWarnAt = new AtomicLong(System.nanoTime());
    }

    void warn(String format, Object... args) {
        long now = System.nanoTime();
        long next = this.nextWarnAt.get();
        if (now - next >= 0 && this.nextWarnAt.compareAndSet(next, now + this.intervalNanos)) {
            long suppressedSinceLastWarn = this.suppressed.getAndSet(0);
            if (suppressedSinceLastWarn > 0) {
                Object[] withCount = Arrays.copyOf(args, args.length + 1);
                withCount[args.length] = suppressedSinceLastWarn;
                this.logger.warn(format + " ({} similar messages were logged at DEBUG only)", withCount);
            }
            else {
                this.logger.warn(format, args);
            }
        }
        else {
            this.suppressed.incrementAndGet();
            this.logger.debug(format, args);
        }
    }

    /**
     * A short, printable excerpt of untrusted text, safe to put in a log line: control characters are escaped and
     * the text is cut to a few dozen chars.
     */
    static String excerpt(CharSequence untrusted) {
        StringBuilder out = new StringBuilder(Math.min(untrusted.length(), MAX_EXCERPT_CHARS) + 8);
        for (int i = 0; i < untrusted.length() && out.length() < MAX_EXCERPT_CHARS; i++) {
            char c = untrusted.charAt(i);
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", (int) c));
            }
            else {
                out.append(c);
            }
        }
        if (out.length() >= MAX_EXCERPT_CHARS) {
            out.append("…(").append(untrusted.length()).append(" chars)");
        }
        return out.toString();
    }
}
