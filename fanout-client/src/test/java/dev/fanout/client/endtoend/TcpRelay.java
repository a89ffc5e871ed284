package dev.fanout.client.endtoend;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a load balancer in front of a cluster does for these tests: a loopback port whose every TCP connection is
 * relayed, byte for byte, to the node it points at when the connection arrives. {@link #pointAt} changes that for
 * later connections only, so that a client whose node closes it reconnects to another node. An end of stream is
 * passed on as a half-close, so that close frames arrive before the connection ends. Thread-safe.
 */
final class TcpRelay implements AutoCloseable {

    private final ServerSocket server;

    private final ExecutorService threads = Executors.newCachedThreadPool((runnable) -> {
        Thread thread = new Thread(runnable, "tcp-relay");
        thread.setDaemon(true);
        return thread;
    });

    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

    private volatile int targetPort;

    private TcpRelay(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.threads.execute(this::acceptConnections);
    }

    static TcpRelay to(int targetPort) {
        try {
            return new TcpRelay(targetPort);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    URI endpoint() {
        return URI.create("ws://localhost:" + this.server.getLocalPort() + "/fanout");
    }

    /** Relays the connections accepted from now on to this port; open ones stay where they are. */
    void pointAt(int port) {
        this.targetPort = port;
    }

    @Override
    public void close() {
        try {
            this.server.close();
        }
        catch (IOException ignored) {
            // The accept loop ends either way.
        }
        this.sockets.forEach(TcpRelay::closeQuietly);
        this.threads.shutdownNow();
    }

    private void acceptConnections() {
        while (!this.server.isClosed()) {
            Socket client;
            try {
                client = this.server.accept();
            }
            catch (IOException closed) {
                return;
            }
            Socket node = new Socket();
            try {
                node.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.targetPort), 5_000);
            }
            catch (IOException refused) {
                closeQuietly(client);
                closeQuietly(node);
                continue;
            }
            this.sockets.add(client);
            this.sockets.add(node);
            AtomicInteger openDirections = new AtomicInteger(2);
            this.threads.execute(() -> pipe(client, node, openDirections));
            this.threads.execute(() -> pipe(node, client, openDirections));
        }
    }

    private void pipe(Socket from, Socket to, AtomicInteger openDirections) {
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int read;
            while ((read = in.read(buffer)) >= 0) {
                out.write(buffer, 0, read);
                out.flush();
            }
            to.shutdownOutput();
            if (openDirections.decrementAndGet() > 0) {
                return;
            }
        }
        catch (IOException reset) {
            // A reset on one side resets the other: fall through and close both.
        }
        closeQuietly(from);
        closeQuietly(to);
        this.sockets.remove(from);
        this.sockets.remove(to);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        }
        catch (IOException ignored) {
            // Closing is all that is left to do.
        }
    }
}
