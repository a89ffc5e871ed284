package dev.fanout.spring.endtoend;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.fanout.WebSocketServerEventTarget;
import dev.fanout.testing.TestSpoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 8, item 3: the closes Tomcat makes by itself, as docs/protocol.md lists them, seen by a raw client that can
 * write frames no WebSocket library would; a bystander stays connected.
 */
@SpringBootTest(classes = FanoutTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FanoutContainerCloseTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static final byte[] MASK = { 1, 2, 3, 4 };

    @LocalServerPort
    private int port;

    @Autowired
    private WebSocketServerEventTarget hub;

    private TestSpokes spokes;

    @BeforeEach
    void hubStartsEmpty() {
        await().atMost(WAIT).until(() -> this.hub.connectionCount() == 0);
        this.spokes = new TestSpokes(this.hub, this.port, WAIT);
    }

    @Test
    void aTextFrameThatIsNotUtf8IsClosedByTheContainerWith1007() throws IOException {
        assertThat(closeCodeAfter(frame(0x81, true, new byte[] { '"', (byte) 0xff, (byte) 0xfe, '"' }))).isEqualTo(1007);
    }

    @Test
    void anUnmaskedClientFrameIsClosedByTheContainerWith1002() throws IOException {
        assertThat(closeCodeAfter(frame(0x81, false, "{}".getBytes(StandardCharsets.US_ASCII)))).isEqualTo(1002);
    }

    @Test
    void aFrameWithAnUnknownOpcodeIsClosedByTheContainerWith1002() throws IOException {
        assertThat(closeCodeAfter(frame(0x83, true, new byte[0]))).isEqualTo(1002);
    }

    private int closeCodeAfter(byte[] badFrame) throws IOException {
        TestSpoke bystander = this.spokes.connect("bystander");
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.port)) {
            socket.setSoTimeout((int) WAIT.toMillis());
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(("GET /fanout HTTP/1.1\r\nHost: localhost:" + this.port + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            skipHandshakeResponse(in);
            await().atMost(WAIT).until(() -> this.hub.connectionCount() == 2);
            out.write(badFrame);
            out.flush();
            int closeCode = readCloseCode(in);
            await().atMost(WAIT).until(() -> this.hub.connectionCount() == 1);
            assertThat(bystander.isClosed()).isFalse();
            return closeCode;
        }
        finally {
            this.spokes.closeAll();
        }
    }

    private static void skipHandshakeResponse(InputStream in) throws IOException {
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("handshake response ended early");
            }
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : ((b == '\r') ? 1 : 0);
        }
    }

    /** Reads frames until the close frame and returns its status code. */
    private static int readCloseCode(InputStream in) throws IOException {
        while (true) {
            int opcode = in.read() & 0x0f;
            int length = in.read() & 0x7f;
            if (length == 126) {
                length = (in.read() << 8) | in.read();
            }
            byte[] payload = in.readNBytes(length);
            if (opcode == 0x8) {
                return ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
            }
        }
    }

    private static byte[] frame(int firstByte, boolean masked, byte[] payload) {
        byte[] frame = new byte[2 + (masked ? 4 : 0) + payload.length];
        frame[0] = (byte) firstByte;
        frame[1] = (byte) ((masked ? 0x80 : 0) | payload.length);
        int at = 2;
        if (masked) {
            System.arraycopy(MASK, 0, frame, at, 4);
            at += 4;
        }
        for (int i = 0; i < payload.length; i++) {
            frame[at + i] = (byte) (masked ? payload[i] ^ MASK[i % 4] : payload[i]);
        }
        return frame;
    }
}
