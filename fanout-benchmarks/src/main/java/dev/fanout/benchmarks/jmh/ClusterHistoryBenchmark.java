package dev.fanout.benchmarks.jmh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.RedisURI;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import dev.fanout.BrokerState;
import dev.fanout.Event;
import dev.fanout.HistoryOptions;
import dev.fanout.HistoryRule;
import dev.fanout.RawSocket;
import dev.fanout.WebSocketServerEventTarget;
import dev.fanout.WebSocketServerOptions;
import dev.fanout.redis.RedisBroker;
import dev.fanout.redis.RedisBrokerOptions;
import dev.fanout.redis.RedisHistoryStore;

/**
 * The cost of history on the dispatch path in cluster mode, in one run: two hubs clustered through
 * {@link RedisBroker}s over a {@code redis-server} this benchmark starts ({@code REDIS_SERVER}, default
 * {@code /usr/bin/redis-server}) on a free loopback port, one subscriber of {@code chat} on each. One operation is one
 * dispatch of a 256-byte quote on node A, measured from the dispatch until the subscriber on node B has it, in batches
 * of {@value #BATCH}: end-to-end time per event at full speed. {@code none}: the topic keeps no history (one PUBLISH
 * per dispatch); {@code kept}: it keeps 1000 events in a {@link RedisHistoryStore} (one EVALSHA per dispatch: offset,
 * stamped frame, XADD, PUBLISH).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ClusterHistoryBenchmark {

    static final int BATCH = 2_000;

    private static final String TOPIC = "chat";

    @Param({ "none", "kept" })
    public String history;

    private @Nullable Process redis;

    private RedisBroker brokerA;

    private RedisBroker brokerB;

    private WebSocketServerEventTarget hubA;

    private final CountingSocket subscriberB = new CountingSocket();

    private Event event;

    @Setup(Level.Trial)
    public void startCluster() throws Exception {
        int port = freePort();
        String executable = System.getenv().getOrDefault("REDIS_SERVER", "/usr/bin/redis-server");
        this.redis = new ProcessBuilder(executable, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no").redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
        awaitPong(port);
        RedisBrokerOptions options = RedisBrokerOptions.builder(RedisURI.create("redis://127.0.0.1:" + port)).build();
        this.brokerA = RedisBroker.create(options);
        this.brokerB = RedisBroker.create(options);
        this.hubA = hub(this.brokerA);
        WebSocketServerEventTarget hubB = hub(this.brokerB);
        awaitUp(this.brokerA);
        awaitUp(this.brokerB);
        subscribe(this.hubA, new CountingSocket());
        subscribe(hubB, this.subscriberB);
        this.brokerA.subscribe(TOPIC).toCompletableFuture().get(30, TimeUnit.SECONDS);
        this.brokerB.subscribe(TOPIC).toCompletableFuture().get(30, TimeUnit.SECONDS);
        this.event = Event.of(TOPIC, Quote.ofSize(256));
    }

    @TearDown(Level.Trial)
    public void stopCluster() {
        this.brokerA.close();
        this.brokerB.close();
        if (this.redis != null) {
            this.redis.destroyForcibly();
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long dispatchUntilTheOtherNodesSubscriberHasIt() {
        long target = this.subscriberB.received.get() + BATCH;
        for (int i = 0; i < BATCH; i++) {
            this.hubA.dispatchEvent(this.event);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (this.subscriberB.received.get() < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("node B received " + this.subscriberB.received.get() + " of "
                        + target + " events within 30 s: dispatches were dropped");
            }
            Thread.onSpinWait();
        }
        return this.subscriberB.received.get();
    }

    private WebSocketServerEventTarget hub(RedisBroker broker) {
        HistoryOptions options = "kept".equals(this.history)
                ? HistoryOptions.of(List.of(new HistoryRule(TOPIC, 1000, Duration.ofMinutes(5))))
                    .withStore(RedisHistoryStore.factory())
                : HistoryOptions.none();
        return WebSocketServerEventTarget.create(WebSocketServerOptions.builder()
            .broker(broker)
            .history(options)
            .build());
    }

    private static void subscribe(WebSocketServerEventTarget hub, CountingSocket socket) {
        hub.addConnection(socket);
        RawSocket.Listener listener = socket.listener;
        if (listener == null) {
            throw new IllegalStateException("the hub attached no listener");
        }
        listener.onText("{\"type\":\"__subscribe\",\"payload\":{\"topic\":\"" + TOPIC + "\"}}");
    }

    private static void awaitUp(RedisBroker broker) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (broker.state() != BrokerState.UP) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(broker + " did not connect within 30 s");
            }
            Thread.sleep(10);
        }
    }

    private static void awaitPong(int port) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                OutputStream out = socket.getOutputStream();
                out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                if (in.read() == '+') {
                    return;
                }
            }
            catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new UncheckedIOException("redis-server did not answer on port " + port, notYet);
                }
            }
            Thread.sleep(20);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * A socket whose network is infinitely fast that counts the events it is sent.
     */
    private static final class CountingSocket implements RawSocket {

        final AtomicLong received = new AtomicLong();

        volatile @Nullable Listener listener;

        @Override
        public void send(String text) {
            if (text.startsWith("{\"type\":\"" + TOPIC + "\"")) {
                this.received.incrementAndGet();
            }
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
    }
}
