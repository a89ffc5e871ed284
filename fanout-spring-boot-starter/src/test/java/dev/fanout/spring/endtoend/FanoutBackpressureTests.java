package dev.fanout.spring.endtoend;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.jetty.ConfigurableJettyWebServerFactory;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import dev.fanout.Event;
import dev.fanout.WebSocketServerEventTarget;
import dev.fanout.spring.endtoend.FanoutTestApplication.SpokeEventRecorder;
import dev.fanout.spring.event.SpokeBackpressureEvent;
import dev.fanout.spring.event.SpokeDisconnectedEvent;
import dev.fanout.testing.TestSpoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Slow consumers over a real Tomcat or Jetty. The hub's socket send buffer is shrunk to 16 KiB (the kernel doubles it) so
 * that a spoke that stops reading really fills the TCP path after a few hundred KiB instead of the megabytes loopback
 * would otherwise absorb.
 */
@SpringBootTest(classes = { FanoutTestApplication.class, FanoutBackpressureTests.SmallSendBuffer.class },
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "fanout.backpressure.threshold=1MB", "fanout.send-stall-timeout=1s" })
class FanoutBackpressureTests {

    private static final Logger logger = LoggerFactory.getLogger(FanoutBackpressureTests.class);

    private static final Duration WAIT = Duration.ofSeconds(20);

    /**
     * How long a stalled spoke that reads again may take to see its closure: it first reads everything the kernel
     * buffers held for it, which on a starved machine takes a while.
     */
    private static final Duration CLOSURE_WAIT = Duration.ofSeconds(60);

    private static final int HEALTHY_SPOKES = 20;

    private static final String FILLER = "x".repeat(12 * 1024);

    @LocalServerPort
    private int port;

    @Autowired
    private WebSocketServerEventTarget hub;

    @Autowired
    private SpokeEventRecorder recorder;

    private TestSpokes spokes;

    @BeforeEach
    void hubStartsEmpty() {
        this.spokes = new TestSpokes(this.hub, this.port, WAIT);
        await().atMost(WAIT).until(() -> this.hub.connectionCount() == 0);
    }

    @AfterEach
    void closeSpokes() {
        this.spokes.closeAll();
    }

    @Test
    void stalledSpokeIsClosedWhileHealthySpokesGetEveryEventInOrderAndThePublisherNeverBlocks() {
        TestSpoke stalled = this.spokes.connect("stalled");
        stalled.subscribe("feed");
        this.spokes.awaitSubscribers("feed", 1);
        stalled.stopReading();
        List<TestSpoke> healthy = IntStream.range(0, HEALTHY_SPOKES)
            .mapToObj((i) -> this.spokes.connect("healthy-" + i))
            .toList();
        healthy.forEach((spoke) -> spoke.subscribe("feed"));
        this.spokes.awaitSubscribers("feed", HEALTHY_SPOKES + 1);

        int events = 400;
        int batch = 20;
        long[] dispatchNanos = new long[events];
        for (int first = 0; first < events; first += batch) {
            for (int seq = first; seq < first + batch; seq++) {
                long start = System.nanoTime();
                this.hub.dispatchEvent(Event.of("feed", String.valueOf(seq), FILLER));
                dispatchNanos[seq] = System.nanoTime() - start;
            }
            int received = first + batch;
            await().atMost(WAIT).until(() -> healthy.stream().allMatch((spoke) -> spoke.messages().size() == received));
        }
        long[] sorted = dispatchNanos.clone();
        Arrays.sort(sorted);
        logger.info("Dispatched {} events of {} KiB ({} MiB, {}x the 1 MiB threshold) to {} healthy spokes and one "
                + "stalled spoke; dispatchEvent took at most {} ms (median {} ms, 99th percentile {} ms; the "
                + "maximum includes JIT warm-up, GC pauses and CPU contention)", events, FILLER.length() / 1024,
                events * FILLER.length() / (1024 * 1024), events * FILLER.length() / (1024 * 1024),
                HEALTHY_SPOKES, millis(sorted[events - 1]), millis(sorted[events / 2]),
                millis(sorted[events * 99 / 100]));

        for (TestSpoke spoke : healthy) {
            List<String> ids = spoke.messages().stream().map(TestSpokes::idOf).toList();
            assertThat(ids).containsExactlyElementsOf(IntStream.range(0, events).mapToObj(String::valueOf).toList());
        }
        await().atMost(WAIT).until(() -> this.hub.connectionCount() == HEALTHY_SPOKES);
        assertThat(this.recorder.of(SpokeBackpressureEvent.class, "stalled")).singleElement()
            .satisfies((event) -> assertThat(event.getBufferedAmount()).isPositive());
        await().atMost(WAIT).untilAsserted(() -> assertThat(this.recorder.of(SpokeDisconnectedEvent.class, "stalled"))
            .singleElement()
            .satisfies((event) -> assertThat(event.getCloseStatus().getCode()).isEqualTo(1013)));
        healthy.forEach((spoke) -> assertThat(spoke.isClosed()).isFalse());

        stalled.resumeReading();
        assertThat(stalled.closure()).succeedsWithin(CLOSURE_WAIT)
            .satisfies((closure) -> assertThat(closure.code()).isIn(1013, 1006));
        assertThat(stalled.messages().size()).isLessThan(events);
    }

    @Test
    void spokeWhoseSendStallsIsClosedWith1013EvenWhenNothingElseIsSentToIt() {
        TestSpoke stalled = this.spokes.connect("stalled-quietly");
        stalled.subscribe("trickle");
        this.spokes.awaitSubscribers("trickle", 1);
        stalled.stopReading();
        int events = 60;
        for (int seq = 0; seq < events; seq++) {
            this.hub.dispatchEvent(Event.of("trickle", String.valueOf(seq), FILLER));
        }
        assertThat(this.hub.connectionCount()).isEqualTo(1);
        await().atMost(WAIT).until(() -> this.hub.connectionCount() == 0);
        assertThat(this.recorder.of(SpokeBackpressureEvent.class, "stalled-quietly")).singleElement()
            .satisfies((event) -> assertThat(event.getBufferedAmount()).isPositive()
                .isLessThan(events * (long) FILLER.length() + 4096));
        await().atMost(WAIT).untilAsserted(() -> assertThat(this.recorder.of(SpokeDisconnectedEvent.class, "stalled-quietly"))
            .singleElement()
            .satisfies((event) -> assertThat(event.getCloseStatus().getCode()).isEqualTo(1013)));
        stalled.resumeReading();
        assertThat(stalled.closure()).succeedsWithin(WAIT)
            .satisfies((closure) -> assertThat(closure.code()).isIn(1013, 1006));
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1_000_000.0);
    }

    /**
     * Shrinks the hub's socket send buffer to 16 KiB on whichever container the suite runs on.
     */
    @TestConfiguration(proxyBeanMethods = false)
    @Import({ SmallSendBuffer.OnTomcat.class, SmallSendBuffer.OnJetty.class })
    static class SmallSendBuffer {

        private static final int SEND_BUFFER_BYTES = 16 * 1024;

        @Configuration(proxyBeanMethods = false)
        @ConditionalOnClass(name = "org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory")
        static class OnTomcat {

            @Bean
            WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> smallSocketSendBuffer() {
                return (factory) -> factory.addConnectorCustomizers((connector) -> connector
                    .setProperty("socket.txBufSize", Integer.toString(SEND_BUFFER_BYTES)));
            }
        }

        @Configuration(proxyBeanMethods = false)
        @ConditionalOnClass(name = "org.springframework.boot.jetty.ConfigurableJettyWebServerFactory")
        static class OnJetty {

            @Bean
            WebServerFactoryCustomizer<ConfigurableJettyWebServerFactory> smallSocketSendBuffer() {
                return (factory) -> factory.addServerCustomizers((server) -> {
                    for (Connector connector : server.getConnectors()) {
                        if (connector instanceof ServerConnector serverConnector) {
                            serverConnector.setAcceptedSendBufferSize(SEND_BUFFER_BYTES);
                        }
                    }
                });
            }
        }
    }
}
