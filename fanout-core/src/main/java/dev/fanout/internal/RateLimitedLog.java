package dev.fanout.internal;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * Logs at WARN at most once per interval and at DEBUG otherwise, so that a spoke sending garbage in a loop cannot
 * flood the log. The next WARN reports how many were suppressed. Thread-safe.
 *
 * <p>The arguments follow SLF4J's convention: a trailing {@link Throwable} is logged with its stack trace.
 */
final class RateLimitedLog {

    private static final int MAX_EXCERPT_CHARS = 80;

    private final Logger logger;

    private final long intervalNanos;

    private final LongSupplier nanoClock;

    private final AtomicLong nextWarnAt;

    private final AtomicLong suppressed = new AtomicLong();

    RateLimitedLog(Logger logger, Duration interval) {
        this(logger, interval, System::nanoTime);
    }

    RateLimitedLog(Logger logger, Duration interval, LongSupplier nanoClock) {
        this.logger = logger;
        this.intervalNanos = interval.toNanos();
        this.nanoClock = nanoClock;
        this.nextWarnAt = new AtomicLong(nanoClock.getAsLong());
    }

    void warn(String format, Object... args) {
        long now = this.nanoClock.getAsLong();
        long next = this.nextWarnAt.get();
        if (now - next >= 0 && this.nextWarnAt.compareAndSet(next, now + this.intervalNanos)) {
            long suppressedSinceLastWarn = this.suppressed.getAndSet(0);
            if (suppressedSinceLastWarn > 0) {
                this.logger.warn(format + " ({} similar messages were logged at DEBUG only)",
                        withSuppressedCount(args, suppressedSinceLastWarn));
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

    private static Object[] withSuppressedCount(Object[] args, long count) {
        boolean endsWithThrowable = args.length > 0 && args[args.length - 1] instanceof Throwable;
        int countAt = endsWithThrowable ? args.length - 1 : args.length;
        Object[] withCount = Arrays.copyOf(args, args.length + 1);
        withCount[countAt] = count;
        if (endsWithThrowable) {
            withCount[args.length] = args[args.length - 1];
        }
        return withCount;
    }

    /**
     * A short, printable excerpt of untrusted text, safe to put in a log line: control characters are escaped and
     * the text is cut to a few dozen chars.
     */
    static String excerpt(CharSequence untrusted) {
        return excerpt(untrusted, MAX_EXCERPT_CHARS);
    }

    /**
     * A printable excerpt of untrusted text of at most about {@code maxChars}: control characters are escaped.
     */
    static String excerpt(@Nullable CharSequence untrusted, int maxChars) {
        if (untrusted == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(untrusted.length(), maxChars) + 8);
        for (int i = 0; i < untrusted.length() && out.length() < maxChars; i++) {
            char c = untrusted.charAt(i);
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", (int) c));
            }
            else {
                out.append(c);
            }
        }
        if (out.length() >= maxChars) {
            out.append("…(").append(untrusted.length()).append(" chars)");
        }
        return out.toString();
    }
}
