package dev.fanout.sample;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.fanout.client.ConnectionState;
import dev.fanout.client.WebSocketClientEventTarget;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A spoke that cannot keep up: fanout's Java client reads its next message only after its listener returned, so a
 * listener that blocks stops it reading, TCP pushes back, and the hub closes it as a slow consumer.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "sample.feed.enabled=false",
    "fanout.backpressure.threshold=64KB", "fanout.send-stall-timeout=1s" })
class BackpressureCountTests {

    private final Publisher publisher;

    private final int port;

    BackpressureCountTests(@Autowired Publisher publisher, @LocalServerPort int port) {
        this.publisher = publisher;
        this.port = port;
    }

    private boolean publishBurst(Object payload) {
        for (int i = 0; i < 20; i++) {
            this.publisher.publish("firehose", payload);
        }
        return true;
    }

    @Test
    void aSpokeWhoseListenerBlocksIsDisconnectedAndCountedAsASlowConsumerClose() {
        SampleApi api = new SampleApi(this.port);
        Map<String, String> bigPayload = Map.of("blob", "x".repeat(16 * 1024));
        CountDownLatch release = new CountDownLatch(1);
        double closedBefore = api.metric("fanout.spokes.closed", "code:1013");
        try (WebSocketClientEventTarget stalled = WebSocketClientEventTarget.connect(api.hub())) {
            List<Integer> closeCodes = new CopyOnWriteArrayList<>();
            stalled.addStateListener((change) -> {
                if (change.current() == ConnectionState.RECONNECTING) {
                    closeCodes.add(change.closeCode());
                }
            });
            stalled.addEventListener("firehose", (event) -> awaitQuietly(release));
            stalled.subscribe("firehose").join();

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> publishBurst(bigPayload)
                        && api.metric("fanout.spokes.closed", "code:1013") >= closedBefore + 1);

            release.countDown();
            await().atMost(Duration.ofSeconds(20)).until(() -> !closeCodes.isEmpty());
            assertThat(closeCodes.get(0)).as("the closure it learns of once its listener returns").isIn(1013, 1006);
        }
        finally {
            release.countDown();
        }
    }

    private static void awaitQuietly(CountDownLatch release) {
        try {
            release.await(60, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
