package dev.fanout.benchmarks.jmh;

import org.jspecify.annotations.Nullable;

import dev.fanout.RawSocket;

/**
 * A socket whose network is infinitely fast: {@link #send} only counts, so a benchmark measures the hub and nothing
 * else. Its listener is exposed so a benchmark can play the spoke.
 */
final class DiscardingRawSocket implements RawSocket {

    private volatile @Nullable Listener listener;

    private long sentChars;

    @Override
    public void send(String text) {
        this.sentChars += text.length();
    }

    @Override
    public long bufferedAmount() {
        return 0;
    }

    @Override
    public void close(int code, String reason) {
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public void setListener(@Nullable Listener listener) {
        this.listener = listener;
    }

    void receive(String text) {
        Listener current = this.listener;
        if (current != null) {
            current.onText(text);
        }
    }

    long sentChars() {
        return this.sentChars;
    }
}
