package dev.fanout.benchmarks.load.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;
import tools.jackson.databind.json.JsonMapper;

/**
 * The load client: opens the subscribers, waits until every one receives a probe, warms the server up, publishes
 * the measured events and prints one {@code RESULT {json}} line (also appended to {@code --out}).
 *
 * <p>Options ({@code --name=value}): {@code server} (fanout|stomp), {@code port}, {@code server-pid} (required);
 * {@code subscribers} (1000), {@code payload} bytes (256), {@code events} (2000), {@code rate} per second (0 = as
 * fast as possible), {@code warmup} events (about 200,000 deliveries' worth), {@code stalled} fraction of
 * subscribers that stop reading when the measured phase starts (0; they read again after it, to learn whether the
 * server closed them), {@code stalled-rcvbuf} their SO_RCVBUF (8192),
 * {@code idle} (false: true measures memory per mostly idle connection), {@code loops} reading threads (2),
 * {@code connect-threads} (4), {@code idle-timeout} seconds without a delivery before giving up (30),
 * {@code max-seconds} (300), {@code clk-tck} (100), {@code scenario} and {@code pair} (labels), {@code out} (file).
 */
public final class LoadClient {

    private static final int SLOW_CONSUMER = 1013;

    private static final Duration RSS_SAMPLE_PERIOD = Duration.ofMillis(100);

    private final Options options;

    private final BenchProtocol protocol;

    private final ServerProcess server;

    private final ServerProcess self;

    private final List<IoLoop> loops = new ArrayList<>();

    private final List<Subscriber> subscribers = new ArrayList<>();

    private final Map<String, Object> result = new LinkedHashMap<>();

    private LoadClient(Options options) {
        this.options = options;
        this.protocol = BenchProtocol.forServer(options.server());
        this.server = new ServerProcess(options.serverPid(), options.port(), options.clockTicks());
        this.self = ServerProcess.self(options.clockTicks());
    }

    /**
     * Runs one measurement against a running server.
     *
     * @param args {@code --name=value} options, see the class comment
     */
    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(TimeUnit.SECONDS.toMillis(options.maxSeconds() + 120L));
                System.err.println("load client: still running after " + (options.maxSeconds() + 120) + " s, giving up");
                Runtime.getRuntime().halt(3);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }, "watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        new LoadClient(options).run();
        System.exit(0);
    }

    private void run() throws Exception {
        describeRun();
        for (int i = 0; i < this.options.loops(); i++) {
            IoLoop loop = new IoLoop("reader-" + i);
            loop.start();
            this.loops.add(loop);
        }
        Map<String, Long> heapBefore = this.options.idle() ? this.server.heap(true) : Map.of();
        double rssBefore = this.server.rssMib();
        connectSubscribers();
        Publisher publisher = openPublisher();
        probeUntilAllSubscribed(publisher);
        if (this.options.idle()) {
            measureIdleMemory(heapBefore, rssBefore);
        }
        warmUp(publisher);
        forEachStalled(IoLoop::stall);
        measure(publisher);
        if (this.options.stalledFraction() > 0) {
            forEachStalled(IoLoop::resume);
            Thread.sleep(3000);
        }
        for (IoLoop loop : this.loops) {
            loop.stop();
        }
        summarize();
        recordHubCloses();
        for (Subscriber subscriber : this.subscribers) {
            subscriber.socket().close();
        }
        report();
    }

    private void describeRun() {
        this.result.put("server", this.options.server());
        this.result.put("scenario", this.options.scenario());
        this.result.put("pair", this.options.pair());
        this.result.put("subscribers", this.options.subscribers());
        this.result.put("payloadBytes", this.options.payloadSize());
        this.result.put("events", this.options.events());
        this.result.put("rate", this.options.rate());
        this.result.put("warmUpEvents", this.options.warmUpEvents());
        this.result.put("stalledFraction", this.options.stalledFraction());
    }

    private void connectSubscribers() throws Exception {
        long start = System.nanoTime();
        InetSocketAddress address = new InetSocketAddress(this.options.host(), this.options.port());
        ExecutorService connectors = Executors.newFixedThreadPool(this.options.connectThreads());
        ThreadLocal<ByteBuffer> scratch = ThreadLocal.withInitial(() -> ByteBuffer.allocate(64 * 1024));
        List<Future<?>> connected = new ArrayList<>();
        for (int i = 0; i < this.options.subscribers(); i++) {
            boolean stalling = this.options.isStalled(i);
            Subscriber subscriber = new Subscriber(i, stalling, this.options.events());
            this.subscribers.add(subscriber);
            IoLoop loop = this.loops.get(i % this.loops.size());
            int index = i;
            connected.add(connectors.submit(() -> {
                WsSocket socket = WsSocket.open(address, this.protocol.path(),
                        stalling ? this.options.stalledReceiveBuffer() : 0, subscriber);
                subscriber.attach(socket);
                this.protocol.open(socket, scratch.get());
                this.protocol.subscribe(socket, index);
                socket.channel().configureBlocking(false);
                loop.register(subscriber);
                return null;
            }));
        }
        for (Future<?> future : connected) {
            future.get();
        }
        connectors.shutdown();
        this.result.put("connectSeconds", seconds(System.nanoTime() - start));
    }

    private Publisher openPublisher() throws IOException {
        MessageSink ignored = new MessageSink() {
            @Override
            public void onMessage(byte[] buffer, int offset, int length) {
            }

            @Override
            public void onClose(int code) {
            }
        };
        WsSocket socket = WsSocket.open(new InetSocketAddress(this.options.host(), this.options.port()),
                this.protocol.path(), 0, ignored);
        this.protocol.open(socket, ByteBuffer.allocate(64 * 1024));
        return new Publisher(socket, this.protocol, this.options.payloadSize());
    }

    private void probeUntilAllSubscribed(Publisher publisher) throws Exception {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(120);
        while (sum(IoLoop::probedCount) < this.options.subscribers()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Only " + sum(IoLoop::probedCount) + " of "
                        + this.options.subscribers() + " subscribers received a probe within 120 s");
            }
            publisher.publish(Payload.PROBE);
            Thread.sleep(250);
        }
        Thread.sleep(300);
        this.result.put("subscribedSeconds", seconds(System.nanoTime() - start));
    }

    private void measureIdleMemory(Map<String, Long> heapBefore, double rssBefore) throws Exception {
        Map<String, Long> heapAfter = this.server.heap(true);
        double rssAfter = this.server.rssMib();
        int connections = this.options.subscribers() + 1;
        this.result.put("idleHeapBeforeMib", heapBefore.get("heapUsed") / 1048576.0);
        this.result.put("idleHeapAfterMib", heapAfter.get("heapUsed") / 1048576.0);
        this.result.put("idleRssBeforeMib", rssBefore);
        this.result.put("idleRssAfterMib", rssAfter);
        this.result.put("idleHeapPerConnectionKib",
                (heapAfter.get("heapUsed") - heapBefore.get("heapUsed")) / 1024.0 / connections);
        this.result.put("idleRssPerConnectionKib", (rssAfter - rssBefore) * 1024.0 / connections);
    }

    private void warmUp(Publisher publisher) throws Exception {
        int warmUp = this.options.warmUpEvents();
        if (warmUp == 0) {
            return;
        }
        long start = System.nanoTime();
        publisher.publishRange(-warmUp, warmUp, this.options.rate());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (sum(IoLoop::warmedUpCount) < this.options.subscribers() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        long expected = (long) warmUp * this.options.subscribers();
        long seen = -1;
        while (sumLong(IoLoop::warmUpDeliveredCount) < expected && sumLong(IoLoop::warmUpDeliveredCount) != seen
                && System.nanoTime() < deadline) {
            seen = sumLong(IoLoop::warmUpDeliveredCount);
            Thread.sleep(500);
        }
        this.result.put("warmUpSeconds", seconds(System.nanoTime() - start));
        this.result.put("warmUpDeliveredFraction", (double) sumLong(IoLoop::warmUpDeliveredCount) / expected);
    }

    private void forEachStalled(java.util.function.BiConsumer<IoLoop, Subscriber> action) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(this.loops.size());
        for (int i = 0; i < this.loops.size(); i++) {
            IoLoop loop = this.loops.get(i);
            int loopIndex = i;
            loop.execute(() -> {
                for (Subscriber subscriber : this.subscribers) {
                    if (subscriber.isStalling() && subscriber.index() % this.loops.size() == loopIndex) {
                        action.accept(loop, subscriber);
                    }
                }
                done.countDown();
            });
        }
        done.await();
    }

    private void measure(Publisher publisher) throws Exception {
        int healthy = (int) this.subscribers.stream().filter(subscriber -> !subscriber.isStalling()).count();
        this.result.put("loadAverage", Double.parseDouble(
                Files.readString(Path.of("/proc/loadavg")).split(" ")[0]));
        double serverSystemCpuBefore = this.server.systemCpuSeconds();
        double serverCpuBefore = this.server.cpuSeconds();
        double clientCpuBefore = this.self.cpuSeconds();
        Map<String, double[]> threadCpuBefore = this.server.cpuSecondsByThread();
        RssSampler rss = RssSampler.start(this.server, RSS_SAMPLE_PERIOD);
        long start = System.nanoTime();
        for (IoLoop loop : this.loops) {
            loop.measuredPhaseStarts(start);
        }
        publisher.publishRange(0, this.options.events(), this.options.rate());
        long published = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(this.options.maxSeconds());
        long idleLimit = TimeUnit.SECONDS.toNanos(this.options.idleTimeoutSeconds());
        long lastCount = -1;
        long lastProgress = System.nanoTime();
        boolean complete = false;
        while (System.nanoTime() < deadline) {
            int completed = sum(IoLoop::completedCount);
            if (completed >= healthy) {
                complete = true;
                break;
            }
            if (completed + sum(IoLoop::healthyClosedCount) >= healthy) {
                break;
            }
            long count = sumLong(IoLoop::healthyDeliveredCount);
            if (count != lastCount) {
                lastCount = count;
                lastProgress = System.nanoTime();
            }
            else if (System.nanoTime() - lastProgress > idleLimit) {
                break;
            }
            Thread.sleep(10);
        }
        rss.stop();
        long lastDelivery = this.loops.stream().mapToLong(IoLoop::lastDeliveryNanos).max().orElse(start);
        double serverCpu = this.server.cpuSeconds() - serverCpuBefore;
        double serverSystemCpu = this.server.systemCpuSeconds() - serverSystemCpuBefore;
        double clientCpu = this.self.cpuSeconds() - clientCpuBefore;
        this.result.put("serverCpuByThread", cpuDelta(threadCpuBefore, this.server.cpuSecondsByThread()));
        Map<String, Long> heap = this.server.heap(false);
        this.result.put("complete", complete);
        this.result.put("healthySubscribers", healthy);
        this.result.put("publishSeconds", seconds(published - start));
        this.result.put("publisherEventsPerSecond", this.options.events() / seconds(published - start));
        this.result.put("durationSeconds", seconds(Math.max(lastDelivery, published) - start));
        this.result.put("serverCpuSeconds", serverCpu);
        this.result.put("serverSystemCpuShare", (serverCpu > 0) ? serverSystemCpu / serverCpu : 0.0);
        this.result.put("clientCpuSeconds", clientCpu);
        this.result.put("serverPeakRssMib", this.server.peakRssMib());
        this.result.put("serverMeasuredPeakRssMib", rss.peakMib());
        this.result.put("rssSamples", rss.samples());
        this.result.put("serverRssMib", this.server.rssMib());
        this.result.put("serverHeapPeakMib", heap.get("heapPeak") / 1048576.0);
        this.result.put("serverHeapCommittedMib", heap.get("heapCommitted") / 1048576.0);
        this.result.put("startNanos", start);
        this.result.put("lastDeliveryNanos", lastDelivery);
    }

    private void summarize() {
        long delivered = 0;
        long lost = 0;
        long duplicates = 0;
        long outOfOrder = 0;
        int healthyClosed = 0;
        long stalledDelivered = 0;
        Map<Integer, Integer> stalledCloseCodes = new TreeMap<>();
        Map<Integer, Integer> healthyCloseCodes = new TreeMap<>();
        for (Subscriber subscriber : this.subscribers) {
            if (subscriber.isStalling()) {
                stalledDelivered += subscriber.distinct();
                stalledCloseCodes.merge(subscriber.closeCode(), 1, Integer::sum);
                continue;
            }
            delivered += subscriber.distinct();
            lost += this.options.events() - subscriber.distinct();
            duplicates += subscriber.duplicates();
            outOfOrder += subscriber.outOfOrder();
            if (subscriber.closeCode() != 0) {
                healthyClosed++;
                healthyCloseCodes.merge(subscriber.closeCode(), 1, Integer::sum);
            }
        }
        Histogram latency = new Histogram(3_600_000_000L, 3);
        for (IoLoop loop : this.loops) {
            latency.add(loop.latencyMicros());
        }
        long start = (Long) this.result.remove("startNanos");
        long lastDelivery = (Long) this.result.remove("lastDeliveryNanos");
        double seconds = seconds(lastDelivery - start);
        double serverCpu = (Double) this.result.get("serverCpuSeconds");
        double clientCpu = (Double) this.result.get("clientCpuSeconds");
        this.result.put("delivered", delivered);
        this.result.put("lost", lost);
        this.result.put("duplicates", duplicates);
        this.result.put("outOfOrder", outOfOrder);
        this.result.put("healthyClosed", healthyClosed);
        this.result.put("healthyCloseCodes", healthyCloseCodes);
        this.result.put("stalledDelivered", stalledDelivered);
        this.result.put("stalledCloseCodes", stalledCloseCodes);
        this.result.put("eventsPerSecond", (seconds > 0) ? delivered / seconds : 0.0);
        this.result.put("p50Ms", latency.getValueAtPercentile(50) / 1000.0);
        this.result.put("p99Ms", latency.getValueAtPercentile(99) / 1000.0);
        this.result.put("p999Ms", latency.getValueAtPercentile(99.9) / 1000.0);
        this.result.put("maxMs", latency.getMaxValue() / 1000.0);
        this.result.put("worstSecondsMs", worstSeconds(5));
        this.result.put("serverCpuMicrosPerDelivery", (delivered > 0) ? serverCpu * 1e6 / delivered : 0.0);
        this.result.put("clientCpuMicrosPerDelivery", (delivered > 0) ? clientCpu * 1e6 / delivered : 0.0);
    }

    /**
     * The hub's own count of its closes (fanout only): all 1013s, and those of stalled subscribers, which never read
     * the close frame the hub sent them behind what the kernel buffered, so the client cannot see them itself.
     */
    private void recordHubCloses() throws IOException, InterruptedException {
        Map<String, Long> closes = this.server.hubClosesByCode();
        if (closes.isEmpty()) {
            return;
        }
        long slowConsumer = closes.getOrDefault(Integer.toString(SLOW_CONSUMER), 0L);
        long healthySlowConsumer = this.subscribers.stream()
                .filter((subscriber) -> !subscriber.isStalling() && subscriber.closeCode() == SLOW_CONSUMER).count();
        this.result.put("hubClosedByCode", closes);
        this.result.put("hubClosed1013", slowConsumer);
        if (this.options.stalledFraction() > 0) {
            this.result.put("stalledClosed1013", Math.max(0, slowConsumer - healthySlowConsumer));
        }
    }

    /**
     * The server's CPU seconds in the measured phase by thread name, user and system, those of at least 10 ms,
     * largest first (threads that ended during the phase are missing).
     */
    private static Map<String, Map<String, Double>> cpuDelta(Map<String, double[]> before,
            Map<String, double[]> after) {
        Map<String, Map<String, Double>> delta = new LinkedHashMap<>();
        after.entrySet().stream()
            .map((entry) -> {
                double[] was = before.getOrDefault(entry.getKey(), new double[2]);
                return Map.entry(entry.getKey(),
                        new double[] { entry.getValue()[0] - was[0], entry.getValue()[1] - was[1] });
            })
            .filter((entry) -> entry.getValue()[0] + entry.getValue()[1] >= 0.01)
            .sorted((a, b) -> Double.compare(b.getValue()[0] + b.getValue()[1], a.getValue()[0] + a.getValue()[1]))
            .forEach((entry) -> delta.put(entry.getKey(),
                    Map.of("user", round2(entry.getValue()[0]), "system", round2(entry.getValue()[1]))));
        return delta;
    }

    private static double round2(double seconds) {
        return Math.round(seconds * 100) / 100.0;
    }

    /** The seconds of the measured phase whose events saw the worst latency, as {second: worst ms}, worst first. */
    private Map<Integer, Double> worstSeconds(int count) {
        long[] worst = new long[3600];
        for (IoLoop loop : this.loops) {
            long[] own = loop.worstMicrosBySecond();
            for (int i = 0; i < worst.length; i++) {
                worst[i] = Math.max(worst[i], own[i]);
            }
        }
        Map<Integer, Double> result = new LinkedHashMap<>();
        java.util.stream.IntStream.range(0, worst.length).boxed().filter((second) -> worst[second] > 0)
                .sorted((a, b) -> Long.compare(worst[b], worst[a])).limit(count)
                .forEach((second) -> result.put(second, worst[second] / 1000.0));
        return result;
    }

    private void report() throws IOException {
        String line = JsonMapper.builder().build().writeValueAsString(this.result);
        System.out.println("RESULT " + line);
        if (!this.options.out().isEmpty()) {
            Files.writeString(Path.of(this.options.out()), line + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }

    private int sum(java.util.function.ToIntFunction<IoLoop> counter) {
        return this.loops.stream().mapToInt(counter).sum();
    }

    private long sumLong(java.util.function.ToLongFunction<IoLoop> counter) {
        return this.loops.stream().mapToLong(counter).sum();
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
