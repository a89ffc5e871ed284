package dev.fanout.spring.websocket;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToLongFunction;

/**
 * Counts the UTF-8 bytes of outbound frames for {@link dev.fanout.RawSocket#bufferedAmount()}. The hub hands the same
 * {@code String} instance to every subscriber of a dispatch, so the last count is remembered by identity and a
 * fan-out to N spokes counts the frame once, not N times.
 *
 * <p>Thread-safe: the remembered entry is an immutable record published through an {@link AtomicReference}, so a
 * reader sees either an old complete entry or a new complete one.
 */
final class FrameSizer {

    private final AtomicReference<Entry> last = new AtomicReference<>(new Entry("", 0));

    private final ToLongFunction<String> counter;

    FrameSizer() {
        this(FrameSizer::countUtf8Bytes);
    }

    /**
     * Creates a sizer that counts with the given function when the last entry does not match.
     *
     * @param counter counts the UTF-8 bytes of a string
     */
    FrameSizer(ToLongFunction<String> counter) {
        this.counter = counter;
    }

    long utf8Length(String text) {
        Entry entry = this.last.get();
        if (entry.text() == text) {
            return entry.length();
        }
        long length = this.counter.applyAsLong(text);
        this.last.set(new Entry(text, length));
        return length;
    }

    static long countUtf8Bytes(String text) {
        long bytes = text.length();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    bytes += 1;
                }
                else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                        && Character.isLowSurrogate(text.charAt(i + 1))) {
                    bytes += 2;
                    i++;
                }
                else {
                    bytes += 2;
                }
            }
        }
        return bytes;
    }

    private record Entry(String text, long length) {
    }
}
