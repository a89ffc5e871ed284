package dev.fanout.sample;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page's live chart, drawn from the hub's metrics: flat while nothing is published, rising while events flow,
 * back to zero when they stop. Saves {@code target/screenshots/live-chart.png}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.feed.enabled=false")
class LiveChartBrowserTests {

    private final int port;

    private final Publisher publisher;

    LiveChartBrowserTests(@LocalServerPort int port, @Autowired Publisher publisher) {
        this.port = port;
        this.publisher = publisher;
    }

    @BeforeAll
    static void requireChromium() {
        HeadlessChromium.assumeInstalled();
    }

    @Test
    void theChartOfEventsPerSecondAndSpokesMovesWhenEventsFlowAndFallsBackWhenTheyStop() throws IOException {
        try (HeadlessChromium chromium = HeadlessChromium.start()) {
            BoardPage page = new BoardPage(chromium).open(this.port, 6);
            chromium.waitUntil(() -> page.chartPoints("events").size() >= 2 && page.chartSpokes() >= 1);
            assertThat(page.chartEventsRate()).isZero();
            List<String> quiet = page.chartPoints("events");
            assertThat(quiet).allMatch((point) -> point.endsWith(",88.0"));

            ScheduledExecutorService feed = Executors.newSingleThreadScheduledExecutor();
            try {
                feed.scheduleAtFixedRate(() -> this.publisher.publish("prices.ACME",
                        Map.of("symbol", "ACME", "price", 100.0, "open", 99.0)), 0, 20, TimeUnit.MILLISECONDS);
                chromium.waitUntil(() -> page.chartEventsRate() > 5);
                List<String> flowing = page.chartPoints("events");
                assertThat(flowing).isNotEqualTo(quiet);
                assertThat(flowing.get(flowing.size() - 1)).doesNotEndWith(",88.0");
                chromium.screenshot("live-chart");
            }
            finally {
                feed.shutdownNow();
            }
            chromium.waitUntil(() -> page.chartEventsRate() == 0);
            assertThat(page.chartSpokes()).isGreaterThanOrEqualTo(1);
            assertThat(chromium.uncaughtScriptErrors()).isEmpty();
        }
    }
}
