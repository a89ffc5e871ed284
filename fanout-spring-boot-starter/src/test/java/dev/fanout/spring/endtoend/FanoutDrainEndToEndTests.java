package dev.fanout.spring.endtoend;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.fanout.CloseCodes;
import dev.fanout.Event;
import dev.fanout.WebSocketServerEventTarget;
import dev.fanout.spring.shutdown.SpokeDrain;
import dev.fanout.testing.TestSpoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The graceful drain over real Tomcat with many real WebSocket clients: the application is closed while events
 * flow, and every spoke must get 1001, at times spread over the drain period, without a gap in what it received.
 */
class FanoutDrainEndToEndTests {

    private static final int SPOKES = 100;

    private static final Duration DRAIN_PERIOD = Duration.ofSeconds(2);

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static final Pattern PAYLOAD = Pattern.compile("\"payload\":(\\d+)");

    private final List<TestSpoke> spokes = new ArrayList<>();

    private final AtomicBoolean publishing = new AtomicBoolean(true);

    @AfterEach
    void closeSpokes() {
        this.publishing.set(false);
        this.spokes.forEach(TestSpoke::abort);
    }

    @Test
    void onShutdownNewSpokesAreRefusedAndEveryConnectedSpokeGets1001SpreadOverTheDrainPeriodWithNothingLost()
            throws Exception {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(FanoutTestApplication.class)
            .properties("server.port=0", "fanout.shutdown.drain-period=" + DRAIN_PERIOD.toMillis() + "ms",
                    "spring.lifecycle.timeout-per-shutdown-phase=30s")
            .run();
        WebSocketServerEventTarget hub = context.getBean(WebSocketServerEventTarget.class);
        SpokeDrain drain = context.getBean(SpokeDrain.class);
        URI endpoint = URI.create("ws://localhost:" + context.getEnvironment().getProperty("local.server.port")
                + "/fanout");
        Map<TestSpoke, Long> closedAtNanos = new ConcurrentHashMap<>();
        for (int i = 0; i < SPOKES; i++) {
            TestSpoke spoke = TestSpoke.connect(endpoint);
            spoke.closure().thenRun(() -> closedAtNanos.put(spoke, System.nanoTime()));
            spoke.subscribe("ticks");
            this.spokes.add(spoke);
        }
        await().atMost(WAIT).until(() -> hub.subscriberCount("ticks") == SPOKES);
        AtomicInteger dispatched = new AtomicInteger();
        Thread publisher = new Thread(() -> {
            while (this.publishing.get()) {
                hub.dispatchEvent(Event.of("ticks", dispatched.getAndIncrement()));
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
            }
        }, "ticks-publisher");
        publisher.start();
        await().atMost(WAIT).until(() -> dispatched.get() > 50);
        int dispatchedBeforeShutdown = dispatched.get();

        CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close);
        await().atMost(WAIT).until(() -> !drain.isAcceptingSpokes());
        int dispatchedWhenDrainStarted = dispatched.get();
        assertThatExceptionOfType(TestSpoke.HandshakeRefusedException.class)
            .isThrownBy(() -> this.spokes.add(TestSpoke.connect(endpoint)))
            .satisfies((refused) -> assertThat(refused.statusCode()).isEqualTo(503));
        closing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        this.publishing.set(false);
        publisher.join();

        List<TestSpoke> drained = this.spokes.subList(0, SPOKES);
        int lastReceived = -1;
        for (TestSpoke spoke : drained) {
            TestSpoke.Closure closure = spoke.closure().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(closure.code()).isEqualTo(CloseCodes.GOING_AWAY);
            assertThat(closure.reason()).isEqualTo(SpokeDrain.CLOSE_REASON);
            List<Integer> received = payloads(spoke);
            assertThat(received).as("what one spoke received, in order").isNotEmpty();
            int first = received.get(0);
            assertThat(first).isLessThan(dispatchedBeforeShutdown);
            assertThat(received).as("no gap in what one spoke received")
                .containsExactlyElementsOf(IntStream.range(first, first + received.size()).boxed().toList());
            assertThat(first + received.size()).as("events received up to the close")
                .isGreaterThanOrEqualTo(dispatchedBeforeShutdown);
            lastReceived = Math.max(lastReceived, first + received.size() - 1);
        }
        assertThat(lastReceived).as("the last events the spokes closed last received")
            .isGreaterThan(dispatchedWhenDrainStarted);
        long firstClose = closedAtNanos.values().stream().mapToLong(Long::longValue).min().orElseThrow();
        long lastClose = closedAtNanos.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        assertThat(Duration.ofNanos(lastClose - firstClose)).as("time from the first close to the last")
            .isGreaterThanOrEqualTo(DRAIN_PERIOD.dividedBy(2));
        long distinctTenths = closedAtNanos.values().stream()
            .map((at) -> (at - firstClose) / 100_000_000L)
            .distinct()
            .count();
        assertThat(distinctTenths).as("tenths of a second in which spokes were closed").isGreaterThanOrEqualTo(8);
        assertThat(drain.closedSpokes()).isEqualTo(SPOKES);
    }

    private static List<Integer> payloads(TestSpoke spoke) {
        List<Integer> payloads = new ArrayList<>();
        for (String message : spoke.messages()) {
            Matcher matcher = PAYLOAD.matcher(message);
            if (matcher.find()) {
                payloads.add(Integer.parseInt(matcher.group(1)));
            }
        }
        return payloads;
    }
}
