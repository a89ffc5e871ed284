package dev.fanout.redis.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import dev.fanout.testing.Prerequisites;

import static org.awaitility.Awaitility.await;

/**
 * A real {@code redis-server} on a free loopback port, started by the test itself with {@code --save ""
 * --appendonly no}, that the test can {@linkplain #pause() pause} (SIGSTOP), {@linkplain #kill() kill} and
 * {@linkplain #restart() restart on the same port}. {@link #command} talks RESP over a fresh socket, so that
 * inspecting the server starts no thread. Not thread-safe; one test drives it.
 *
 * <p>Without {@code redis-server} installed, {@link #start()} fails the test under {@code CI=true} and skips it
 * otherwise (see {@link Prerequisites}).
 */
public final class RedisServer implements AutoCloseable {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(20);

    private static final int COMMAND_TIMEOUT_MILLIS = 5_000;

    private final String executable;

    private final int port;

    private final Path log;

    private @Nullable Process process;

    private RedisServer(String executable, int port) throws IOException {
        this.executable = executable;
        this.port = port;
        Path logs = Path.of("target", "redis-server");
        Files.createDirectories(logs);
        this.log = logs.resolve("redis-" + port + ".log");
        launch();
    }

    /**
     * Starts a server on a free port and waits until it answers PING.
     *
     * @return the running server
     */
    public static RedisServer start() {
        String executable = Prerequisites
            .firstExecutable(System.getenv("REDIS_SERVER"), "/usr/bin/redis-server", "/usr/local/bin/redis-server")
            .orElse(null);
        Prerequisites.require(executable != null, "redis-server", "apt-get install -y redis-server");
        try {
            return new RedisServer(executable, freePort());
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * The port the server listens on, on 127.0.0.1; it stays the same across {@link #restart()}.
     *
     * @return the port
     */
    public int port() {
        return this.port;
    }

    /**
     * The URI clients connect to.
     *
     * @return {@code redis://127.0.0.1:<port>}
     */
    public String uri() {
        return "redis://127.0.0.1:" + this.port;
    }

    /**
     * Whether the process runs (it may be paused).
     *
     * @return {@code false} after {@link #kill()} until {@link #restart()}
     */
    public boolean isRunning() {
        Process running = this.process;
        return running != null && running.isAlive();
    }

    /**
     * Stops the process at once with SIGKILL, as a crash would.
     */
    public void kill() {
        Process running = this.process;
        if (running == null) {
            return;
        }
        running.destroyForcibly();
        try {
            running.waitFor(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        this.process = null;
    }

    /**
     * Starts the server again on the same port, empty, and waits until it answers.
     */
    public void restart() {
        kill();
        try {
            launch();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Freezes the process with SIGSTOP: connections stay open, nothing is answered.
     */
    public void pause() {
        signal("-STOP");
    }

    /**
     * Lets a {@linkplain #pause() paused} process run again with SIGCONT.
     */
    public void resume() {
        signal("-CONT");
    }

    /**
     * Sends a command and reads its reply: a {@code String} (simple or bulk string, error as {@code "-ERR …"}),
     * a {@code Long}, {@code null}, or a {@code List} of those.
     *
     * @param args the command and its arguments
     * @return the reply
     */
    public @Nullable Object command(String... args) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", this.port), COMMAND_TIMEOUT_MILLIS);
            socket.setSoTimeout(COMMAND_TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            StringBuilder request = new StringBuilder("*").append(args.length).append("\r\n");
            for (String arg : args) {
                byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
                request.append('$').append(bytes.length).append("\r\n").append(arg).append("\r\n");
            }
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return readReply(new BufferedInputStream(socket.getInputStream()));
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Redis command " + String.join(" ", args) + " failed", ex);
        }
    }

    /**
     * The number of subscribers of a channel, from {@code PUBSUB NUMSUB}.
     *
     * @param channel the channel
     * @return its subscribers (connections) now
     */
    public long subscribers(String channel) {
        List<?> reply = (List<?>) command("PUBSUB", "NUMSUB", channel);
        return (Long) reply.get(1);
    }

    /**
     * The channels with at least one subscriber, from {@code PUBSUB CHANNELS}.
     *
     * @param pattern a glob pattern, e.g. {@code fanout.*}
     * @return the active channels matching it
     */
    public Set<String> activeChannels(String pattern) {
        Set<String> channels = new LinkedHashSet<>();
        for (Object channel : (List<?>) command("PUBSUB", "CHANNELS", pattern)) {
            channels.add((String) channel);
        }
        return channels;
    }

    /**
     * Publishes a message, as any Redis client could.
     *
     * @param channel the channel
     * @param message the message
     * @return the number of subscribers that received it
     */
    public long publish(String channel, String message) {
        return (Long) command("PUBLISH", channel, message);
    }

    /**
     * Closes every pub/sub connection, with {@code CLIENT KILL TYPE pubsub}.
     *
     * @return the number of connections closed
     */
    public long killPubSubClients() {
        return (Long) command("CLIENT", "KILL", "TYPE", "pubsub");
    }

    /**
     * The number of client connections the server has now (this inspection's own included).
     *
     * @return the connected clients
     */
    public int connectedClients() {
        String list = (String) command("CLIENT", "LIST");
        return (int) list.lines().filter((line) -> !line.isBlank()).count();
    }

    /**
     * The CPU time the server used so far, from {@code INFO cpu}.
     *
     * @return user plus system seconds
     */
    public double cpuSeconds() {
        String info = (String) command("INFO", "cpu");
        double total = 0;
        for (String line : info.lines().toList()) {
            if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
                total += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return total;
    }

    @Override
    public void close() {
        Process running = this.process;
        if (running != null && running.isAlive()) {
            resume();
        }
        kill();
    }

    @Override
    public String toString() {
        return "redis-server on port " + this.port;
    }

    private void launch() throws IOException {
        this.process = new ProcessBuilder(this.executable, "--port", Integer.toString(this.port), "--bind",
                "127.0.0.1", "--save", "", "--appendonly", "no", "--databases", "1")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(this.log.toFile()))
            .start();
        await("redis-server answering PING; see " + this.log.toAbsolutePath()).atMost(STARTUP_TIMEOUT)
            .pollInterval(Duration.ofMillis(20))
            .ignoreException(UncheckedIOException.class)
            .failFast("redis-server exited at start; see " + this.log.toAbsolutePath(), () -> {
                Process running = this.process;
                return running == null || !running.isAlive();
            })
            .until(() -> "PONG".equals(command("PING")));
    }

    private void signal(String signal) {
        Process running = this.process;
        if (running == null) {
            throw new IllegalStateException("redis-server is not running");
        }
        try {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(running.pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill " + signal + " " + running.pid() + " failed");
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private static @Nullable Object readReply(InputStream in) throws IOException {
        int type = in.read();
        String line = readLine(in);
        switch (type) {
            case '+':
                return line;
            case '-':
                return "-" + line;
            case ':':
                return Long.parseLong(line);
            case '$': {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return null;
                }
                byte[] bytes = in.readNBytes(length);
                readLine(in);
                return new String(bytes, StandardCharsets.UTF_8);
            }
            case '*': {
                int count = Integer.parseInt(line);
                if (count < 0) {
                    return null;
                }
                List<@Nullable Object> items = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    items.add(readReply(in));
                }
                return items;
            }
            default:
                throw new IOException("Unexpected RESP type " + (char) type + line);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("Connection closed mid-reply");
            }
            line.append((char) c);
        }
        in.read();
        return line.toString();
    }
}
