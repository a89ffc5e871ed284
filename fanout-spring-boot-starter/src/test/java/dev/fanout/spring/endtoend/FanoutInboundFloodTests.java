package dev.fanout.spring.endtoend;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.fanout.CloseCodes;
import dev.fanout.Event;
import dev.fanout.HubStatistics;
import dev.fanout.WebSocketServerEventTarget;
import dev.fanout.testing.TestSpoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One spoke flooding the hub over real Tomcat while healthy spokes subscribe, chat and receive: the flooder's excess
 * is dropped and answered {@code rate_limited}, it is closed with 1008 once it stayed over the limit, and the healthy
 * spokes lose nothing and are never limited.
 */
@SpringBootTest(classes = FanoutTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "fanout.inbound.rate-limit=100", "fanout.inbound.burst=100", "fanout.inbound.close-after=15s" })
class FanoutInboundFloodTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static final int HEALTHY_SPOKES = 3;

    private static final int CHATS_PER_SPOKE = 20;

    private static final int TICKS = 200;

    @LocalServerPort
    private int port;

    @Autowired
    private WebSocketServerEventTarget hub;

    private final List<TestSpoke> spokes = new ArrayList<>();

    private final ExecutorService flooding = Executors.newSingleThreadExecutor();

    @AfterEach
    void closeSpokes() {
        this.flooding.shutdownNow();
        this.spokes.forEach(TestSpoke::close);
    }

    @Test
    void oneFloodingSpokeIsLimitedAndClosedWith1008WhileHealthySpokesLoseNothing() throws Exception {
        HubStatistics.CloseCode policyViolation = HubStatistics.CloseCode.of(CloseCodes.POLICY_VIOLATION);
        long policyClosesBefore = this.hub.statistics().spokesClosed(policyViolation);
        TestSpoke flooder = connect();
        AtomicInteger floodSent = new AtomicInteger();
        Future<?> flood = this.flooding.submit(() -> {
            while (flooder.isOpen()) {
                try {
                    flooder.sendJson("{\"type\":\"flood\",\"id\":\"f" + floodSent.incrementAndGet()
                            + "\",\"payload\":\"spam\"}");
                }
                catch (RuntimeException closed) {
                    return;
                }
            }
        });
        await().atMost(WAIT).until(() -> this.hub.droppedInboundMessageCount() > 0);

        List<TestSpoke> healthy = IntStream.range(0, HEALTHY_SPOKES).mapToObj((n) -> connect()).toList();
        healthy.forEach((spoke) -> spoke.subscribe("ticks", "sub").awaitReply("sub"));
        for (int chat = 0; chat < CHATS_PER_SPOKE; chat++) {
            for (TestSpoke spoke : healthy) {
                spoke.sendJson("{\"type\":\"chat\",\"id\":\"c" + chat + "\",\"payload\":{\"text\":\"hi\"}}");
            }
        }
        IntStream.range(0, TICKS).forEach((tick) -> this.hub.dispatchEvent(Event.of("ticks", tick)));
        boolean floodStillRunning = flooder.isOpen();

        for (TestSpoke spoke : healthy) {
            await().atMost(WAIT).until(() -> spoke.received("ticks").size() == TICKS
                    && spoke.received("chat-ack").size() == CHATS_PER_SPOKE);
            assertThat(spoke.received("ticks")).extracting((event) -> event.get("payload").intValue())
                .containsExactlyElementsOf(IntStream.range(0, TICKS).boxed().toList());
            assertThat(spoke.received("__error")).isEmpty();
            assertThat(spoke.isOpen()).isTrue();
        }
        assertThat(floodStillRunning).as("the flood overlapped the healthy spokes' traffic").isTrue();
        int seenByFlooder = flooder.closure().get(WAIT.toSeconds(), TimeUnit.SECONDS).code();
        assertThat(this.hub.statistics().spokesClosed(policyViolation) - policyClosesBefore)
            .as("the hub closed the flooder with 1008").isEqualTo(1);
        assertThat(seenByFlooder).as("the flooder saw the 1008, or (Jetty aborts a close its peer does not read within "
                + "100 ms) an abnormal closure").isIn(CloseCodes.POLICY_VIOLATION, 1006);
        flood.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(flooder.received("__error")).isNotEmpty()
            .allSatisfy((reply) -> assertThat(reply.at("/payload/code").stringValue()).isEqualTo("rate_limited"));
        assertThat(this.hub.droppedInboundMessageCount()).isPositive();
    }

    private TestSpoke connect() {
        TestSpoke spoke = TestSpoke.connect(this.port);
        this.spokes.add(spoke);
        return spoke;
    }
}
