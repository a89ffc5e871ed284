package dev.fanout.benchmarks.jmh;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

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

import dev.fanout.Event;
import dev.fanout.HistoryOptions;
import dev.fanout.HistoryRule;
import dev.fanout.WebSocketServerEventTarget;
import dev.fanout.WebSocketServerOptions;

/**
 * The cost of history on the dispatch path, in one run: {@link WebSocketServerEventTarget#dispatchEvent} of a
 * 256-byte quote to 1 and 100 subscribers of one topic, on a hub with no history rules ({@code none}), on a hub
 * whose rules match other topics only ({@code otherTopics}: the cost a topic without history pays for the rules),
 * and on a topic that keeps a history of 1000 events ({@code kept}: the offset, the stamped frame, the ring).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HistoryDispatchBenchmark {

    private static final String TOPIC = "prices.ACME";

    @Param({ "1", "100" })
    public int subscribers;

    @Param({ "none", "otherTopics", "kept" })
    public String history;

    private WebSocketServerEventTarget hub;

    private Event event;

    @Setup
    public void connectSubscribers() {
        Duration ttl = Duration.ofMinutes(5);
        HistoryOptions options = switch (this.history) {
            case "none" -> HistoryOptions.none();
            case "otherTopics" -> HistoryOptions.of(List.of(new HistoryRule("chat", 1000, ttl),
                    new HistoryRule("news.*", 1000, ttl), new HistoryRule("orders.*", 1000, ttl)));
            case "kept" -> HistoryOptions.of(List.of(new HistoryRule("chat", 1000, ttl),
                    new HistoryRule("prices.*", 1000, ttl)));
            default -> throw new IllegalArgumentException(this.history);
        };
        this.hub = WebSocketServerEventTarget.create(WebSocketServerOptions.builder().history(options).build());
        DiscardingRawSocket.subscribe(this.hub, TOPIC, this.subscribers);
        this.event = Event.of(TOPIC, Quote.ofSize(256));
    }

    @Benchmark
    public boolean dispatch() {
        return this.hub.dispatchEvent(this.event);
    }
}
