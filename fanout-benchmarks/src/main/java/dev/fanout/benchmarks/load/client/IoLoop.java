package dev.fanout.benchmarks.load.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.HdrHistogram.Histogram;

/**
 * One client thread reading its share of the subscribers through a selector. It counts deliveries in plain fields
 * and publishes them to volatile fields once per select round, so the main thread can watch progress without a
 * write barrier per message. The latency histogram (microseconds) is read only after {@link #stop()}.
 */
final class IoLoop implements Runnable {

    private static final int READ_BUFFER = 256 * 1024;

    private static final int MAX_READS_PER_READY_KEY = 4;

    private final Selector selector;

    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();

    private final ByteBuffer readBuffer = ByteBuffer.allocate(READ_BUFFER);

    private final Histogram latencyMicros = new Histogram(3_600_000_000L, 3);

    private final Thread thread;

    private final long[] worstMicrosBySecond = new long[3600];

    private volatile long measuredStartNanos = Long.MAX_VALUE;

    private volatile boolean running = true;

    private long healthyDelivered;

    private long lastDeliveryNanos;

    private int probed;

    private int warmedUp;

    private long warmUpDelivered;

    private int completed;

    private int healthyClosed;

    private volatile long healthyDeliveredSnapshot;

    private volatile long lastDeliveryNanosSnapshot;

    private volatile int probedSnapshot;

    private volatile int warmedUpSnapshot;

    private volatile long warmUpDeliveredSnapshot;

    private volatile int completedSnapshot;

    private volatile int healthyClosedSnapshot;

    IoLoop(String name) throws IOException {
        this.selector = Selector.open();
        this.thread = new Thread(this, name);
        this.thread.setDaemon(true);
    }

    void start() {
        this.thread.start();
    }

    /** Takes over a subscriber whose socket is in non-blocking mode. Thread-safe. */
    void register(Subscriber subscriber) {
        execute(() -> {
            subscriber.attach(this);
            try {
                subscriber.socket().channel().register(this.selector, SelectionKey.OP_READ, subscriber);
            }
            catch (ClosedChannelException ex) {
                subscriber.onClose(1006);
            }
        });
    }

    /** Runs a task on this loop's thread. Thread-safe. */
    void execute(Runnable task) {
        this.tasks.add(task);
        this.selector.wakeup();
    }

    /** Stops reading from a subscriber (its socket stays open), on this loop's thread. */
    void stall(Subscriber subscriber) {
        SelectionKey key = subscriber.socket().channel().keyFor(this.selector);
        if (key != null && key.isValid()) {
            key.interestOps(0);
        }
    }

    /** Reads from a stalled subscriber again, on this loop's thread, to learn whether the server closed it. */
    void resume(Subscriber subscriber) {
        SelectionKey key = subscriber.socket().channel().keyFor(this.selector);
        if (key != null && key.isValid()) {
            key.interestOps(SelectionKey.OP_READ);
        }
    }

    void stop() throws InterruptedException {
        this.running = false;
        this.selector.wakeup();
        this.thread.join();
    }

    @Override
    public void run() {
        try {
            while (this.running) {
                this.selector.select(50);
                runTasks();
                Iterator<SelectionKey> ready = this.selector.selectedKeys().iterator();
                while (ready.hasNext()) {
                    SelectionKey key = ready.next();
                    ready.remove();
                    if (key.isValid() && key.isReadable()) {
                        read(key);
                    }
                }
                publishCounters();
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        finally {
            runTasks();
            publishCounters();
        }
    }

    private void read(SelectionKey key) throws IOException {
        Subscriber subscriber = (Subscriber) key.attachment();
        WsSocket socket = subscriber.socket();
        for (int i = 0; i < MAX_READS_PER_READY_KEY; i++) {
            if (!socket.readOnce(this.readBuffer)) {
                key.cancel();
                socket.close();
                return;
            }
            if (!WsSocket.filled(this.readBuffer) || key.interestOps() == 0) {
                return;
            }
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = this.tasks.poll()) != null) {
            task.run();
        }
    }

    private void publishCounters() {
        this.healthyDeliveredSnapshot = this.healthyDelivered;
        this.lastDeliveryNanosSnapshot = this.lastDeliveryNanos;
        this.probedSnapshot = this.probed;
        this.warmedUpSnapshot = this.warmedUp;
        this.warmUpDeliveredSnapshot = this.warmUpDelivered;
        this.completedSnapshot = this.completed;
        this.healthyClosedSnapshot = this.healthyClosed;
    }

    void healthyDelivered(long sentAtNanos, boolean subscriberComplete) {
        long now = System.nanoTime();
        long micros = Math.max(0, (now - sentAtNanos) / 1000);
        this.latencyMicros.recordValue(micros);
        long second = (sentAtNanos - this.measuredStartNanos) / 1_000_000_000L;
        if (second >= 0 && second < this.worstMicrosBySecond.length && micros > this.worstMicrosBySecond[(int) second]) {
            this.worstMicrosBySecond[(int) second] = micros;
        }
        this.healthyDelivered++;
        this.lastDeliveryNanos = now;
        if (subscriberComplete) {
            this.completed++;
        }
    }

    void healthyClosed() {
        this.healthyClosed++;
    }

    void subscriberProbed() {
        this.probed++;
    }

    void subscriberWarmedUp() {
        this.warmedUp++;
    }

    void warmUpDelivered() {
        this.warmUpDelivered++;
    }

    long healthyDeliveredCount() {
        return this.healthyDeliveredSnapshot;
    }

    long lastDeliveryNanos() {
        return this.lastDeliveryNanosSnapshot;
    }

    int probedCount() {
        return this.probedSnapshot;
    }

    int warmedUpCount() {
        return this.warmedUpSnapshot;
    }

    long warmUpDeliveredCount() {
        return this.warmUpDeliveredSnapshot;
    }

    int completedCount() {
        return this.completedSnapshot;
    }

    /** Healthy subscribers the server closed before they had every measured event (in any phase). */
    int healthyClosedCount() {
        return this.healthyClosedSnapshot;
    }

    /** Marks when the measured phase started, for {@link #worstMicrosBySecond()}. Thread-safe. */
    void measuredPhaseStarts(long nanos) {
        this.measuredStartNanos = nanos;
    }

    /**
     * The worst healthy latency (µs) of the events sent in each second of the measured phase; call after
     * {@link #stop()}.
     */
    long[] worstMicrosBySecond() {
        return this.worstMicrosBySecond;
    }

    /** The healthy subscribers' latencies in the measured phase; call after {@link #stop()}. */
    Histogram latencyMicros() {
        return this.latencyMicros;
    }
}
