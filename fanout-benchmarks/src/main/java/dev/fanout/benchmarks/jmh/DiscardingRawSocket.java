package dev.fanout.benchmarks.jmh;

import org.jspecify.annotations.Nullable;

import dev.fanout.RawSocket;
import dev.fanout.WebSocketServerEventTarget;

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

    /**
     * Connects {@code count} discarding sockets to a hub, each subscribed to {@code topic} (the benchmarks' set-up).
     */
    static void subscribe(WebSocketServerEventTarget hub, String topic, int count) {
        String subscribe = "{\"type\":\"__subscribe\",\"payload\":{\"topic\":\"" + topic + "\"}}";
        for (int i = 0; i < count; i++) {
            DiscardingRawSocket socket = new DiscardingRawSocket();
            hub.addConnection(socket);
            socket.receive(subscribe);
        }
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
