package dev.fanout.benchmarks.load.client;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * fanout's wire protocol (docs/protocol.md): {@code __subscribe} to the topic; the publisher sends a
 * {@code bench.publish} event that the benchmark's hub app relays to the topic.
 */
final class FanoutProtocol implements BenchProtocol {

    private static final byte[] SUBSCRIBE = ("{\"type\":\"__subscribe\",\"payload\":{\"topic\":\"" + TOPIC + "\"}}")
            .getBytes(StandardCharsets.US_ASCII);

    private static final byte[] PUBLISH_HEAD = "{\"type\":\"bench.publish\",\"payload\":".getBytes(StandardCharsets.US_ASCII);

    @Override
    public String path() {
        return "/fanout";
    }

    @Override
    public void open(WsSocket socket, ByteBuffer scratch) {
    }

    @Override
    public void subscribe(WsSocket socket, int subscriberIndex) throws java.io.IOException {
        socket.sendText(SUBSCRIBE, SUBSCRIBE.length);
    }

    @Override
    public byte[] publishMessage(byte[] payload) {
        byte[] message = new byte[PUBLISH_HEAD.length + payload.length + 1];
        System.arraycopy(PUBLISH_HEAD, 0, message, 0, PUBLISH_HEAD.length);
        System.arraycopy(payload, 0, message, PUBLISH_HEAD.length, payload.length);
        message[message.length - 1] = '}';
        return message;
    }
}
