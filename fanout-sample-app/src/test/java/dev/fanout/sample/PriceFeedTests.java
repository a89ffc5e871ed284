package dev.fanout.sample;

import java.time.Duration;
import java.util.Map;

import dev.fanout.client.WebSocketClientEventTarget;
import org.junit.jupiter.api.Test;

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
                WebSocketClientEventTarget spoke = WebSocketClientEventTarget
                    .connect(new SampleApi(portOf(context)).hub())) {
            Inbox acme = Inbox.subscribe(spoke, "prices.ACME");
            Inbox bolt = Inbox.subscribe(spoke, "prices.BOLT");
            for (Map.Entry<String, Inbox> board : Map.of("ACME", acme, "BOLT", bolt).entrySet()) {
                Quote quote = board.getValue().awaitFirst().payloadAs(Quote.class);
                assertThat(quote.symbol()).isEqualTo(board.getKey());
                assertThat(quote.price()).isPositive();
                assertThat(quote.open()).isPositive();
                assertThat(quote.timestamp()).isPositive();
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
