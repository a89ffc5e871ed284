package dev.fanout.benchmarks.load.client;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Reads the server's resident set size ({@code VmRSS}) on its own thread at a fixed period while a phase runs, and
 * keeps the highest reading: the peak RSS of that phase alone, where {@code VmHWM} is the peak of the process's whole
 * life (start-up and warm-up included). Start with {@link #start}, stop with {@link #stop()}; {@link #peakMib()} is
 * valid after {@link #stop()}.
 */
final class RssSampler {

    private final ServerProcess server;

    private final long periodNanos;

    private final Thread thread;

    private volatile boolean running = true;

    private double peakMib;

    private int samples;

    private RssSampler(ServerProcess server, Duration period) {
        this.server = server;
        this.periodNanos = period.toNanos();
        this.thread = new Thread(this::sample, "rss-sampler");
        this.thread.setDaemon(true);
    }

    /** Takes a first reading and starts sampling every {@code period}. */
    static RssSampler start(ServerProcess server, Duration period) {
        RssSampler sampler = new RssSampler(server, period);
        sampler.thread.start();
        return sampler;
    }

    /**
     * Stops sampling after a last reading. The sampler thread's end happens-before this returns (join), so
     * {@link #peakMib()} and {@link #samples()} need no lock afterwards.
     */
    void stop() throws InterruptedException {
        this.running = false;
        this.thread.interrupt();
        this.thread.join();
    }

    /** The highest {@code VmRSS} read between {@link #start} and {@link #stop()}, in MiB; 0 if none was read. */
    double peakMib() {
        return this.peakMib;
    }

    /** How many readings were taken. */
    int samples() {
        return this.samples;
    }

    private void sample() {
        do {
            try {
                this.peakMib = Math.max(this.peakMib, this.server.rssMib());
                this.samples++;
            }
            catch (IOException ex) {
                return;
            }
            try {
                TimeUnit.NANOSECONDS.sleep(this.periodNanos);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        while (this.running && !Thread.currentThread().isInterrupted());
        try {
            this.peakMib = Math.max(this.peakMib, this.server.rssMib());
            this.samples++;
        }
        catch (IOException ex) {
            // the server is gone: the readings taken so far stand
        }
    }
}
