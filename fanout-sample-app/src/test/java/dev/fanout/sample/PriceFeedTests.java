package dev.fanout.sample;

import java.time.Duration;

import dev.fanout.testing.TestSpoke;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PriceFeedTests {

    private static ConfigurableApplicationContext start(String... properties) {
        SpringApplication application = new SpringApplication(SampleApplication.class);
        String[] args = new String[properties.length + 1];
        args[0] = "--server.port=0";
        for (int i = 0; i < properties.length; i++) {
            args[i + 1] = "--" + properties[i];
        }
        return application.run(args);
    }

    private static int portOf(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    private static boolean feedThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch((thread) -> thread.getName().equals("price-feed") && thread.isAlive());
    }

    @Test
    void feedPublishesQuotesOfEverySymbolOnItsPricesTopic() {
        try (ConfigurableApplicationContext context = start("sample.feed.interval=20ms",
                "sample.feed.symbols=ACME,BOLT");
                TestSpoke spoke = TestSpoke.connect(portOf(context)).subscribe("prices.ACME").subscribe("prices.BOLT")) {
            for (String symbol : new String[] { "ACME", "BOLT" }) {
                JsonNode quote = spoke.awaitEvent("prices." + symbol).path("payload");
                assertThat(quote.path("symbol").stringValue("")).isEqualTo(symbol);
                assertThat(quote.path("price").asDouble(0)).isPositive();
                assertThat(quote.path("open").asDouble(0)).isPositive();
                assertThat(quote.path("timestamp").asLong(0)).isPositive();
            }
            assertThat(new SampleApi(portOf(context)).metric("fanout.events.dispatched", "topic.prefix:prices."))
                .isPositive();
        }
    }

    @Test
    void feedStopsItsThreadWhenTheApplicationShutsDown() {
        ConfigurableApplicationContext context = start("sample.feed.interval=20ms");
        PriceFeed feed = context.getBean(PriceFeed.class);
        assertThat(feed.isRunning()).isTrue();
        assertThat(feedThreadAlive()).isTrue();

        context.close();

        assertThat(feed.isRunning()).isFalse();
        await().atMost(Duration.ofSeconds(10)).until(() -> !feedThreadAlive());
    }

    @Test
    void feedIsOffWhenDisabledByProperty() {
        try (ConfigurableApplicationContext context = start("sample.feed.enabled=false")) {
            assertThat(context.getBeanNamesForType(PriceFeed.class)).isEmpty();
            assertThat(feedThreadAlive()).isFalse();
        }
    }
}
