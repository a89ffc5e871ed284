package dev.fanout.benchmarks.jmh;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

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
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import dev.fanout.Event;
import dev.fanout.WebSocketServerEventTarget;
import dev.fanout.WebSocketServerOptions;

/**
 * {@link WebSocketServerEventTarget#dispatchEvent} to 1, 100 and 10,000 subscribers of one topic, with a 256-byte
 * payload. The baseline, {@link #serializeOnly}, is what any fan-out must do once per event; the difference is the
 * hub's own per-subscriber cost. {@link #dispatchText} and {@link #dispatchTextWithUnpairedSurrogate} dispatch a
 * 256-char string without and with an unpaired surrogate at its end: the second takes the codec's escaping path.
 * {@link #topicPrefixes} measures the always-on statistics' per-prefix counters: 0 (the default, one counter slot)
 * or 64 (the most allowed, none of which matches the topic, so every one is tried).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DispatchBenchmark {

    private static final String TOPIC = "prices.ACME";

    @Param({ "1", "100", "10000" })
    public int subscribers;

    @Param({ "0" })
    public int topicPrefixes;

    private final ObjectMapper mapper = JsonMapper.builder().build();

    private WebSocketServerEventTarget hub;

    private Event event;

    private Event text;

    private Event textWithUnpairedSurrogate;

    @Setup
    public void connectSubscribers() {
        List<String> prefixes = IntStream.range(0, this.topicPrefixes).mapToObj((i) -> "unmatched" + i + ".").toList();
        this.hub = WebSocketServerEventTarget.create(WebSocketServerOptions.builder()
            .statisticsTopicPrefixes(prefixes)
            .build());
        DiscardingRawSocket.subscribe(this.hub, TOPIC, this.subscribers);
        this.event = Event.of(TOPIC, Quote.ofSize(256));
        this.text = Event.of(TOPIC, "x".repeat(256));
        this.textWithUnpairedSurrogate = Event.of(TOPIC, "x".repeat(255) + "\ud800");
    }

    @Benchmark
    public boolean dispatch() {
        return this.hub.dispatchEvent(this.event);
    }

    @Benchmark
    public boolean dispatchText() {
        return this.hub.dispatchEvent(this.text);
    }

    @Benchmark
    public boolean dispatchTextWithUnpairedSurrogate() {
        return this.hub.dispatchEvent(this.textWithUnpairedSurrogate);
    }

    @Benchmark
    public String serializeOnly() {
        return this.mapper.writeValueAsString(this.event.payload());
    }
}
