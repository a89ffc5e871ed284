package dev.fanout.benchmarks.load.client;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * What differs between the two servers under test: the endpoint, the subscription and the publish message.
 */
interface BenchProtocol {

    /** The topic every subscriber subscribes to. */
    String TOPIC = "bench";

    /** The WebSocket path of the server's endpoint. */
    String path();

    /** Makes a freshly opened socket ready for subscribing or publishing (STOMP: CONNECT and wait for CONNECTED). */
    void open(WsSocket socket, ByteBuffer scratch) throws IOException;

    /** Subscribes an opened socket to {@link #TOPIC}. */
    void subscribe(WsSocket socket, int subscriberIndex) throws IOException;

    /** The message the publisher sends to have {@code payload} delivered to every subscriber. */
    byte[] publishMessage(byte[] payload);

    /**
     * The protocol for a server name given on the command line ({@code fanout-base}, {@code fanout-jetty},
     * {@code fanout-history}, {@code fanout-noflow} and {@code fanout-metrics} are the hub as well).
     */
    static BenchProtocol forServer(String server) {
        if ("fanout".equals(server) || "fanout-base".equals(server) || "fanout-jetty".equals(server)
                || "fanout-history".equals(server) || "fanout-noflow".equals(server)
                || "fanout-metrics".equals(server)) {
            return new FanoutProtocol();
        }
        if ("stomp".equals(server)) {
            return new StompProtocol();
        }
        throw new IllegalArgumentException("Unknown server '" + server + "': expected fanout, fanout-base, "
                + "fanout-jetty, fanout-history, fanout-noflow, fanout-metrics or stomp");
    }
}
