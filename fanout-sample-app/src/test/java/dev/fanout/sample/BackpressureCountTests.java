package dev.fanout.sample;

import java.time.Duration;
import java.util.Map;

import dev.fanout.testing.TestSpoke;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
    void spokeThatStopsReadingIsDisconnectedAndCountedAsASlowConsumerClose() {
        SampleApi api = new SampleApi(this.port);
        Map<String, String> bigPayload = Map.of("blob", "x".repeat(16 * 1024));
        try (TestSpoke stalled = TestSpoke.connect(this.port).subscribe("firehose")) {
            api.awaitSubscribers("firehose", 1);
            stalled.stopReading();

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .until(() -> publishBurst(bigPayload) && api.metric("fanout.spokes.closed", "code:1013") >= 1);

            api.awaitSubscribers("firehose", 0);
            assertThat(api.spokes()).isZero();
        }
    }
}
