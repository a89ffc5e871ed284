package dev.fanout.benchmarks.jmh;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import dev.fanout.WebSocketServerEventTarget;

/**
 * What one inbound message costs the hub: a subscribe/unsubscribe pair (churn, with 1,000 other subscribers on the
 * topic), and a 1 KB application event delivered to a hub listener. The baseline, {@link #parseTreeOnly}, is
 * Jackson parsing the same 1 KB message to a tree.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class InboundBenchmark {

    private static final String TOPIC = "chat.room-1";

    private static final String SUBSCRIBE = "{\"type\":\"__subscribe\",\"payload\":{\"topic\":\"" + TOPIC + "\"}}";

    private static final String UNSUBSCRIBE = "{\"type\":\"__unsubscribe\",\"payload\":{\"topic\":\"" + TOPIC + "\"}}";

    private final ObjectMapper mapper = JsonMapper.builder().build();

    private DiscardingRawSocket spoke;

    private String oneKilobyteEvent;

    private Blackhole blackhole;

    @Setup
    public void connect(Blackhole blackhole) {
        this.blackhole = blackhole;
        WebSocketServerEventTarget hub = WebSocketServerEventTarget.create();
        for (int i = 0; i < 1000; i++) {
            DiscardingRawSocket other = new DiscardingRawSocket();
            hub.addConnection(other);
            other.receive(SUBSCRIBE);
        }
        this.spoke = new DiscardingRawSocket();
        hub.addConnection(this.spoke);
        hub.addEventListener("chat", event -> this.blackhole.consume(event));
        String text = "y".repeat(1024 - 60);
        this.oneKilobyteEvent = "{\"type\":\"chat\",\"id\":\"42\",\"payload\":{\"user\":\"ada\",\"text\":\"" + text
                + "\"}}";
    }

    @Benchmark
    public void subscribeThenUnsubscribe() {
        this.spoke.receive(SUBSCRIBE);
        this.spoke.receive(UNSUBSCRIBE);
    }

    @Benchmark
    public void receiveOneKilobyteEvent() {
        this.spoke.receive(this.oneKilobyteEvent);
    }

    @Benchmark
    public Object parseTreeOnly() {
        return this.mapper.readTree(this.oneKilobyteEvent);
    }
}
