package dev.fanout.sample;

import java.io.IOException;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page as a visitor first sees it: the simulated feed on, the first symbols subscribed by default, prices
 * moving. Saves {@code target/screenshots/live-board.png}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.feed.interval=100ms")
class LiveFeedBrowserTests {

    private final int port;

    LiveFeedBrowserTests(@LocalServerPort int port) {
        this.port = port;
    }

    @BeforeAll
    static void requireChromium() {
        HeadlessChromium.assumeInstalled();
    }

    @Test
    void defaultSymbolsShowLivePricesFromTheFeedWithoutAnyAction() throws IOException {
        try (HeadlessChromium chromium = HeadlessChromium.start()) {
            BoardPage page = new BoardPage(chromium).open(this.port, 6);

            for (String symbol : new String[] { "ACME", "BOLT", "CRUX" }) {
                assertThat(page.checkbox(symbol).isSelected()).isTrue();
                chromium.waitUntil(() -> page.price(symbol).matches("\\d+\\.\\d\\d"));
            }
            assertThat(page.checkbox("DYNA").isSelected()).isFalse();
            assertThat(page.price("DYNA")).isEqualTo("—");
            chromium.waitUntil(() -> page.row("ACME").findElement(org.openqa.selenium.By.tagName("polyline"))
                    .getAttribute("points").split(" ").length >= 3);
            page.type("#chat-user", "ada");
            page.sendChat("Prices are moving!");
            chromium.waitUntil(() -> page.chatTexts("ada").contains("Prices are moving!"));
            chromium.screenshot("live-board");
            assertThat(chromium.uncaughtScriptErrors()).isEmpty();
        }
    }
}
