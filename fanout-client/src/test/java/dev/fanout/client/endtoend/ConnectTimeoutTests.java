package dev.fanout.client.endtoend;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.fanout.client.ConnectionState;
import dev.fanout.client.ConnectionStateChange;
import dev.fanout.client.WebSocketClientEventTarget;

import static dev.fanout.client.endtoend.Clients.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A "hub" that accepts TCP connections but never answers the upgrade: each attempt is abandoned after the connect
 * timeout and retried.
 */
class ConnectTimeoutTests {

    private final Clients clients = new Clients();

    private final List<Socket> accepted = new CopyOnWriteArrayList<>();

    private ServerSocket silent;

    @AfterEach
    void stop() throws IOException {
        this.clients.close();
        for (Socket socket : this.accepted) {
            socket.close();
        }
        this.silent.close();
    }

    @Test
    void aHandshakeThatNeverCompletesIsAbandonedAfterTheConnectTimeoutAndRetried() throws IOException {
        this.silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!this.silent.isClosed()) {
                try {
                    this.accepted.add(this.silent.accept());
                }
                catch (IOException ex) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        WebSocketClientEventTarget client = this.clients.create(
                URI.create("ws://127.0.0.1:" + this.silent.getLocalPort() + "/fanout"),
                (options) -> options.connectTimeout(Duration.ofMillis(300)));
        List<ConnectionStateChange> changes = new CopyOnWriteArrayList<>();
        client.addStateListener(changes::add);

        client.start();

        await().atMost(WAIT).until(() -> this.accepted.size() >= 2);
        assertThat(changes).filteredOn((change) -> change.current() == ConnectionState.RECONNECTING)
            .first()
            .satisfies((change) -> assertThat(change.closeCode()).isEqualTo(1006));
        assertThat(changes).extracting(ConnectionStateChange::current).doesNotContain(ConnectionState.OPEN);
    }
}
