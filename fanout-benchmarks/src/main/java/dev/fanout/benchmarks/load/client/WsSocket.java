package dev.fanout.benchmarks.load.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One client WebSocket over a {@link SocketChannel}: the opening handshake and blocking sends and receives while a
 * connection is set up, then non-blocking reads driven by an {@link IoLoop}. Not thread-safe: one thread at a time
 * (the set-up thread, then its loop).
 */
final class WsSocket implements WsFrames.FrameSink {

    private static final byte[] HEADER_END = { '\r', '\n', '\r', '\n' };

    private final SocketChannel channel;

    private MessageSink sink;

    private byte[] carry = new byte[0];

    private int carryLength;

    private byte[] fragments = new byte[0];

    private int fragmentsLength;

    private byte[] frameBuffer = new byte[512];

    private boolean closed;

    private WsSocket(SocketChannel channel, MessageSink sink) {
        this.channel = channel;
        this.sink = sink;
    }

    /**
     * Connects and completes the opening handshake, blocking.
     *
     * @param receiveBuffer the SO_RCVBUF to ask for before connecting, or 0 for the system's default (autotuned)
     */
    static WsSocket open(InetSocketAddress address, String path, int receiveBuffer, MessageSink sink)
            throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            if (receiveBuffer > 0) {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, receiveBuffer);
            }
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.connect(address);
            WsSocket socket = new WsSocket(channel, sink);
            socket.handshake(address, path);
            return socket;
        }
        catch (IOException | RuntimeException ex) {
            channel.close();
            throw ex;
        }
    }

    SocketChannel channel() {
        return this.channel;
    }

    void setSink(MessageSink sink) {
        this.sink = sink;
    }

    boolean isClosed() {
        return this.closed;
    }

    /** Sends one text message, blocking until it is written (the channel must be in blocking mode). */
    void sendText(byte[] payload, int length) throws IOException {
        int needed = length + WsFrames.MAX_HEADER;
        if (this.frameBuffer.length < needed) {
            this.frameBuffer = new byte[Math.max(needed, this.frameBuffer.length * 2)];
        }
        int frameLength = WsFrames.encodeMasked(WsFrames.OPCODE_TEXT, payload, length, this.frameBuffer);
        ByteBuffer out = ByteBuffer.wrap(this.frameBuffer, 0, frameLength);
        while (out.hasRemaining()) {
            this.channel.write(out);
        }
    }

    /** Blocks until one complete message has arrived and returns it as text; later messages in the same read are dropped. */
    String receiveText(ByteBuffer scratch) throws IOException {
        MessageSink owner = this.sink;
        String[] received = new String[1];
        this.sink = new MessageSink() {
            @Override
            public void onMessage(byte[] buffer, int offset, int length) {
                if (received[0] == null) {
                    received[0] = new String(buffer, offset, length, StandardCharsets.UTF_8);
                }
            }

            @Override
            public void onClose(int code) {
                received[0] = "<closed " + code + ">";
            }
        };
        try {
            if (this.carryLength > 0) {
                byte[] pending = Arrays.copyOf(this.carry, this.carryLength);
                this.carryLength = 0;
                keepUnparsed(pending, WsFrames.parse(pending, 0, pending.length, this), pending.length);
            }
            while (received[0] == null && readOnce(scratch)) {
                // Reads until the message is complete.
            }
            if (received[0] == null) {
                throw new IOException("Connection ended before a message arrived");
            }
            return received[0];
        }
        finally {
            this.sink = owner;
        }
    }

    /**
     * Reads what the channel has (blocking or not, as the channel is configured) into {@code scratch}, after any
     * bytes left over from the last read, and hands every complete message to the sink.
     *
     * @return {@code false} once the connection has ended
     */
    boolean readOnce(ByteBuffer scratch) throws IOException {
        scratch.clear();
        if (this.carryLength > 0) {
            scratch.put(this.carry, 0, this.carryLength);
            this.carryLength = 0;
        }
        int read;
        try {
            read = this.channel.read(scratch);
        }
        catch (IOException ex) {
            read = -1;
        }
        byte[] buffer = scratch.array();
        int end = scratch.position();
        int consumed = WsFrames.parse(buffer, 0, end, this);
        if (read < 0) {
            ended(1006);
            return false;
        }
        if (consumed == 0 && end == scratch.capacity()) {
            throw new IOException("A frame of " + WsFrames.frameLength(buffer, 0, end) + " bytes is larger than the "
                    + scratch.capacity() + "-byte read buffer");
        }
        keepUnparsed(buffer, consumed, end);
        return !this.closed;
    }

    /** Whether the last {@link #readOnce} filled the buffer, so more may be waiting. */
    static boolean filled(ByteBuffer scratch) {
        return scratch.position() == scratch.capacity();
    }

    void close() {
        this.closed = true;
        try {
            this.channel.close();
        }
        catch (IOException ex) {
            // Closing a socket of a finished run; nothing to do about it.
        }
    }

    @Override
    public void onFrame(boolean fin, int opcode, byte[] buffer, int offset, int length) {
        if (opcode == WsFrames.OPCODE_TEXT || opcode == WsFrames.OPCODE_BINARY) {
            if (fin) {
                this.sink.onMessage(buffer, offset, length);
            }
            else {
                this.fragmentsLength = 0;
                appendFragment(buffer, offset, length);
            }
        }
        else if (opcode == WsFrames.OPCODE_CONTINUATION) {
            appendFragment(buffer, offset, length);
            if (fin) {
                this.sink.onMessage(this.fragments, 0, this.fragmentsLength);
                this.fragmentsLength = 0;
            }
        }
        else if (opcode == WsFrames.OPCODE_CLOSE) {
            int code = (length >= 2) ? ((buffer[offset] & 0xFF) << 8) | (buffer[offset + 1] & 0xFF) : 1005;
            writeControl(WsFrames.OPCODE_CLOSE, buffer, offset, Math.min(length, 2));
            ended(code);
        }
        else if (opcode == WsFrames.OPCODE_PING) {
            writeControl(WsFrames.OPCODE_PONG, buffer, offset, length);
        }
    }

    private void ended(int code) {
        if (!this.closed) {
            this.closed = true;
            this.sink.onClose(code);
        }
    }

    private void appendFragment(byte[] buffer, int offset, int length) {
        if (this.fragments.length < this.fragmentsLength + length) {
            this.fragments = Arrays.copyOf(this.fragments, Math.max(this.fragmentsLength + length, 2 * this.fragments.length));
        }
        System.arraycopy(buffer, offset, this.fragments, this.fragmentsLength, length);
        this.fragmentsLength += length;
    }

    private void keepUnparsed(byte[] buffer, int from, int end) {
        int remaining = end - from;
        if (remaining <= 0) {
            return;
        }
        if (this.carry.length < remaining) {
            this.carry = new byte[Math.max(remaining, 256)];
        }
        System.arraycopy(buffer, from, this.carry, 0, remaining);
        this.carryLength = remaining;
    }

    private void writeControl(int opcode, byte[] buffer, int offset, int length) {
        byte[] payload = Arrays.copyOfRange(buffer, offset, offset + length);
        byte[] frame = new byte[length + WsFrames.MAX_HEADER];
        int frameLength = WsFrames.encodeMasked(opcode, payload, length, frame);
        try {
            this.channel.write(ByteBuffer.wrap(frame, 0, frameLength));
        }
        catch (IOException ex) {
            // A best-effort reply on a connection that is going away.
        }
    }

    private void handshake(InetSocketAddress address, String path) throws IOException {
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        String request = "GET " + path + " HTTP/1.1\r\n"
                + "Host: " + address.getHostString() + ":" + address.getPort() + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n";
        ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
        while (out.hasRemaining()) {
            this.channel.write(out);
        }
        ByteBuffer in = ByteBuffer.allocate(4096);
        int headerEnd = -1;
        while (headerEnd < 0) {
            if (!in.hasRemaining() || this.channel.read(in) < 0) {
                throw new IOException("No complete handshake response from " + address + path);
            }
            headerEnd = indexOf(in.array(), in.position(), HEADER_END);
        }
        String status = new String(in.array(), 0, Math.min(headerEnd, 64), StandardCharsets.US_ASCII);
        if (!status.startsWith("HTTP/1.1 101")) {
            throw new IOException("Handshake with " + address + path + " refused: " + status.lines().findFirst().orElse(""));
        }
        keepUnparsed(in.array(), headerEnd + HEADER_END.length, in.position());
    }

    private static int indexOf(byte[] buffer, int end, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= end; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (buffer[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
