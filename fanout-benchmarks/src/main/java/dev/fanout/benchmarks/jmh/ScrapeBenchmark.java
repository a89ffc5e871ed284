package dev.fanout.benchmarks.jmh;

import java.util.concurrent.TimeUnit;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
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
 * One Prometheus scrape of a hub's meters ({@link FanoutMetrics} bound to a {@link PrometheusMeterRegistry}), with
 * 1,000 subscribers of one topic and events already dispatched: what {@code /actuator/prometheus} costs per request
 * for the hub's meters, the work that {@link MetricsDispatchBenchmark}'s {@code scraped} state adds beside dispatch.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class ScrapeBenchmark {

    private static final String TOPIC = "prices.ACME";

    private PrometheusMeterRegistry registry;

    @Setup
    public void bindHubWithSubscribers() {
        WebSocketServerEventTarget hub = WebSocketServerEventTarget.create(WebSocketServerOptions.builder().build());
        String subscribe = "{\"type\":\"__subscribe\",\"payload\":{\"topic\":\"" + TOPIC + "\"}}";
        for (int i = 0; i < 1000; i++) {
            DiscardingRawSocket socket = new DiscardingRawSocket();
            hub.addConnection(socket);
            socket.receive(subscribe);
        }
        Event event = Event.of(TOPIC, Quote.ofSize(256));
        for (int i = 0; i < 100; i++) {
            hub.dispatchEvent(event);
        }
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new FanoutMetrics(hub.statistics(), (code) -> 0, null).bindTo(this.registry);
    }

    @Benchmark
    public String scrape() {
        return this.registry.scrape();
    }

    @TearDown
    public void closeRegistry() {
        this.registry.close();
    }
}
