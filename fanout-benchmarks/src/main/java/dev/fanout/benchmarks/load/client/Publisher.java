package dev.fanout.benchmarks.load.client;

import java.io.IOException;
import java.util.concurrent.locks.LockSupport;

/**
 * The one publishing connection, in blocking mode: at rate 0 it writes as fast as the server reads (TCP
 * back-pressure paces it), otherwise it sends on a fixed schedule. Each payload's {@code t} is taken just before its
 * write, so the latency measured counts the server's queueing, not the publisher's.
 */
final class Publisher {

    private final WsSocket socket;

    private final BenchProtocol protocol;

    private final int payloadSize;

    Publisher(WsSocket socket, BenchProtocol protocol, int payloadSize) {
        this.socket = socket;
        this.protocol = protocol;
        this.payloadSize = payloadSize;
    }

    void publish(long seq) throws IOException {
        byte[] message = this.protocol.publishMessage(Payload.encode(seq, System.nanoTime(), this.payloadSize));
        this.socket.sendText(message, message.length);
    }

    /**
     * Publishes {@code seq = first … first + count - 1}.
     *
     * @param ratePerSecond events per second, or 0 for as fast as possible
     */
    void publishRange(long first, int count, double ratePerSecond) throws IOException {
        long start = System.nanoTime();
        double intervalNanos = (ratePerSecond > 0) ? 1e9 / ratePerSecond : 0;
        for (int i = 0; i < count; i++) {
            if (intervalNanos > 0) {
                long due = start + (long) (i * intervalNanos);
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
            publish(first + i);
        }
    }
}
