package dev.fanout.benchmarks.jmh;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import dev.fanout.Event;
import dev.fanout.WebSocketServerEventTarget;
import dev.fanout.WebSocketServerOptions;
import dev.fanout.spring.metrics.FanoutMetrics;

/**
 * {@link WebSocketServerEventTarget#dispatchEvent} of a 256-byte event to 1 and 1,000 subscribers with the starter's
 * Micrometer binding ({@link FanoutMetrics}) in three states: {@code none} (no registry), {@code bound} (bound to a
 * Prometheus registry, never scraped) and {@code scraped} (bound, and the registry scraped every
 * {@value #SCRAPE_INTERVAL_MILLIS} ms on a second thread, as {@code /actuator/prometheus} would be, 1,500 times more
 * often than Prometheus's default 15 s).
 *
 * <p>The hub counts every dispatch whether or not anything reads the counts ({@code HubStatistics}, one
 * {@code LongAdder} update per dispatch); the meters are functions over those counters, evaluated only when a
 * registry is scraped. So {@code bound} runs exactly the dispatch code of {@code none} (their ratio is an A/A
 * comparison that shows the noise of the sitting), and what the metrics can cost dispatch is the scrape: its CPU and
 * the cache lines of the counters it reads while the dispatching thread writes them. {@code fanout-benchmarks/
 * run-jmh-alternating.sh} runs the three alternately, one short fork each, and reports the ratios round by round.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class MetricsDispatchBenchmark {

    static final long SCRAPE_INTERVAL_MILLIS = 10;

    private static final String TOPIC = "prices.ACME";

    @Param({ "1", "1000" })
    public int subscribers;

    @Param({ "none", "bound", "scraped" })
    public String metrics;

    private WebSocketServerEventTarget hub;

    private Event event;

    private @Nullable PrometheusMeterRegistry registry;

    private @Nullable ScheduledExecutorService scraper;

    private final AtomicLong scrapes = new AtomicLong();

    @Setup
    public void connectSubscribersAndBindMetrics() {
        this.hub = WebSocketServerEventTarget.create(WebSocketServerOptions.builder().build());
        String subscribe = "{\"type\":\"__subscribe\",\"payload\":{\"topic\":\"" + TOPIC + "\"}}";
        for (int i = 0; i < this.subscribers; i++) {
            DiscardingRawSocket socket = new DiscardingRawSocket();
            this.hub.addConnection(socket);
            socket.receive(subscribe);
        }
        this.event = Event.of(TOPIC, Quote.ofSize(256));
        switch (this.metrics) {
            case "none" -> {
            }
            case "bound" -> this.registry = boundRegistry();
            case "scraped" -> {
                PrometheusMeterRegistry scraped = boundRegistry();
                this.registry = scraped;
                this.scraper = Executors.newSingleThreadScheduledExecutor((task) -> {
                    Thread thread = new Thread(task, "scraper");
                    thread.setDaemon(true);
                    return thread;
                });
                this.scraper.scheduleAtFixedRate(() -> scrape(scraped), SCRAPE_INTERVAL_MILLIS,
                        SCRAPE_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
            }
            default -> throw new IllegalArgumentException("metrics must be none, bound or scraped: " + this.metrics);
        }
    }

    private PrometheusMeterRegistry boundRegistry() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new FanoutMetrics(this.hub.statistics(), (code) -> 0, null).bindTo(prometheus);
        return prometheus;
    }

    private void scrape(PrometheusMeterRegistry prometheus) {
        if (prometheus.scrape().contains(FanoutMetrics.EVENTS_DELIVERED.replace('.', '_'))) {
            this.scrapes.incrementAndGet();
        }
    }

    @Benchmark
    public boolean dispatch() {
        return this.hub.dispatchEvent(this.event);
    }

    /**
     * Stops the scraper and fails the trial if a {@code scraped} trial never scraped the delivered counter, so a
     * broken binding cannot pass for a cheap one.
     */
    @TearDown
    public void stopScraping() throws InterruptedException {
        if (this.scraper != null) {
            this.scraper.shutdownNow();
            this.scraper.awaitTermination(1, TimeUnit.SECONDS);
            if (this.scrapes.get() == 0) {
                throw new IllegalStateException("the scraper never saw " + FanoutMetrics.EVENTS_DELIVERED);
            }
        }
        if (this.registry != null) {
            this.registry.close();
        }
    }
}
