package dev.fanout.benchmarks.load.client;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * STOMP 1.2 frames written by hand: CONNECT (no heart-beats), SUBSCRIBE to {@code /topic/bench}, and SEND frames
 * straight to that destination, which Spring's simple broker delivers to every subscription.
 */
final class StompProtocol implements BenchProtocol {

    private static final String DESTINATION = "/topic/" + TOPIC;

    private static final byte[] CONNECT = "CONNECT\naccept-version:1.2\nhost:localhost\nheart-beat:0,0\n\n\0"
            .getBytes(StandardCharsets.US_ASCII);

    @Override
    public String path() {
        return "/stomp";
    }

    @Override
    public void open(WsSocket socket, ByteBuffer scratch) throws IOException {
        socket.sendText(CONNECT, CONNECT.length);
        String reply = socket.receiveText(scratch);
        if (!reply.startsWith("CONNECTED")) {
            throw new IOException("STOMP CONNECT refused: " + reply.lines().findFirst().orElse(""));
        }
    }

    @Override
    public void subscribe(WsSocket socket, int subscriberIndex) throws IOException {
        byte[] frame = ("SUBSCRIBE\nid:sub-" + subscriberIndex + "\ndestination:" + DESTINATION + "\n\n\0")
                .getBytes(StandardCharsets.US_ASCII);
        socket.sendText(frame, frame.length);
    }

    @Override
    public byte[] publishMessage(byte[] payload) {
        byte[] head = ("SEND\ndestination:" + DESTINATION + "\ncontent-type:application/json\ncontent-length:"
                + payload.length + "\n\n").getBytes(StandardCharsets.US_ASCII);
        byte[] frame = new byte[head.length + payload.length + 1];
        System.arraycopy(head, 0, frame, 0, head.length);
        System.arraycopy(payload, 0, frame, head.length, payload.length);
        return frame;
    }
}
