package dev.fanout.sample;

import java.io.IOException;
import java.util.List;

import dev.fanout.CloseCodes;
import dev.fanout.SpokeEventTarget;
import dev.fanout.WebSocketServerEventTarget;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's page in headless Chromium (Selenium, system {@code chromedriver}) against the app on a random port
 * with the price feed off, so every price on screen was published by the test. Screenshots go to
 * {@code target/screenshots/}. Skipped, naming what is missing, only when Chromium or its driver is not installed.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.feed.enabled=false")
class SampleAppBrowserTests {

    private static final int SYMBOLS = 6;

    private final WebSocketServerEventTarget hub;

    private final int port;

    private final SampleApi api;

    private HeadlessChromium chromium;

    SampleAppBrowserTests(@Autowired WebSocketServerEventTarget hub, @LocalServerPort int port) {
        this.hub = hub;
        this.port = port;
        this.api = new SampleApi(port);
    }

    @BeforeAll
    static void requireChromium() {
        HeadlessChromium.assumeInstalled();
    }

    @BeforeEach
    void startBrowser() throws IOException {
        this.chromium = HeadlessChromium.start();
    }

    @AfterEach
    void stopBrowser() throws IOException {
        try (HeadlessChromium closing = this.chromium) {
            assertThat(closing.uncaughtScriptErrors()).as("uncaught script errors").isEmpty();
        }
    }

    @Test
    void subscribingToASymbolRendersPricesPublishedThroughTheApiAndFlashesTheChange() {
        BoardPage page = new BoardPage(this.chromium).open(this.port, SYMBOLS);
        assertThat(page.checkbox("FIZZ").isSelected()).isFalse();

        page.toggle("FIZZ");
        this.api.awaitSubscribers("prices.FIZZ", 1);
        assertThat(this.api.publish("prices.FIZZ", "{\"symbol\":\"FIZZ\",\"price\":123.45,\"open\":120}")
                .statusCode()).isEqualTo(202);

        this.chromium.waitUntil(() -> page.price("FIZZ").equals("123.45"));
        assertThat(page.checkbox("FIZZ").isSelected()).isTrue();
        assertThat(page.row("FIZZ").getAttribute("data-direction")).isEqualTo("up");

        this.api.publish("prices.FIZZ", "{\"symbol\":\"FIZZ\",\"price\":119.5,\"open\":120}");
        this.chromium.waitUntil(() -> page.price("FIZZ").equals("119.50"));
        assertThat(page.row("FIZZ").getAttribute("class")).contains("flash-down");
        assertThat(page.row("FIZZ").getAttribute("data-direction")).isEqualTo("down");
        this.chromium.waitUntil(() -> !page.text("#stat-connections").equals("–") && page.showsTopic("prices.FIZZ"));
        this.chromium.screenshot("market-board");

        page.toggle("FIZZ");
        this.api.awaitSubscribers("prices.FIZZ", 0);
        assertThat(page.row("FIZZ").getAttribute("class")).contains("unsubscribed");
    }

    @Test
    void malformedPayloadsAreIgnoredByThePageAndTextIsNeverInterpretedAsHtml() {
        BoardPage page = new BoardPage(this.chromium).open(this.port, SYMBOLS);
        page.toggle("DYNA");
        this.api.awaitSubscribers("prices.DYNA", 1);

        for (String junk : new String[] { "\"text\"", "null", "[1,2]", "{\"price\":\"abc\"}", "{\"open\":3}" }) {
            assertThat(this.api.publish("prices.DYNA", junk).statusCode()).isEqualTo(202);
        }
        this.api.publish("prices.DYNA", "{\"price\":77.7}");

        this.chromium.waitUntil(() -> page.price("DYNA").equals("77.70"));
        this.api.awaitSubscribers("chat", 1);
        this.api.publish("chat", "{\"user\":5,\"text\":[\"x\"]}");
        this.api.publish("chat", "\"<b>not an object</b>\"");
        this.api.publish("chat", "{\"user\":\"api\",\"text\":\"<img src=x onerror=alert(1)>\"}");
        this.chromium.waitUntil(() -> page.chatTexts("api").contains("<img src=x onerror=alert(1)>"));
        assertThat(page.chatTexts("5")).isEmpty();
        assertThat(page.status().getAttribute("data-state")).isEqualTo("open");
    }

    @Test
    void theChatNameFieldShowsTheWholeDefaultName() {
        new BoardPage(this.chromium).open(this.port, SYMBOLS);
        String name = this.chromium.driver().findElement(By.id("chat-user")).getDomProperty("value");
        assertThat(name).matches("guest-\\d{4}");

        Object overflow = this.chromium.driver().executeScript(
                "const field = document.getElementById('chat-user'); return field.scrollWidth - field.clientWidth;");

        assertThat(((Number) overflow).intValue()).as("pixels of the name cut off").isLessThanOrEqualTo(0);
    }

    @Test
    void chatMessageSentFromOneWindowAppearsInASecondWindow() {
        ChromeDriver browser = this.chromium.driver();
        BoardPage page = new BoardPage(this.chromium).open(this.port, SYMBOLS);
        String alice = browser.getWindowHandle();
        page.type("#chat-user", "alice");
        browser.switchTo().newWindow(WindowType.WINDOW);
        String bob = browser.getWindowHandle();
        page.open(this.port, SYMBOLS);
        page.type("#chat-user", "bob");
        this.api.awaitSubscribers("chat", 2);

        browser.switchTo().window(alice);
        page.sendChat("hello from alice");

        browser.switchTo().window(bob);
        this.chromium.waitUntil(() -> page.chatTexts("alice").contains("hello from alice"));
        this.chromium.screenshot("chat-second-window");
        browser.switchTo().window(alice);
        this.chromium.waitUntil(() -> page.chatTexts("alice").contains("hello from alice"));
        assertThat(page.text("#chat-input")).isEmpty();
        this.chromium.screenshot("chat-first-window");
    }

    @Test
    void clientReconnectsAfterTheServerClosesItsConnectionAndReceivesAgain() {
        BoardPage page = new BoardPage(this.chromium).open(this.port, SYMBOLS);
        page.toggle("EON");
        this.api.awaitSubscribers("prices.EON", 1);
        this.api.publish("prices.EON", "{\"price\":50}");
        this.chromium.waitUntil(() -> page.price("EON").equals("50.00"));

        List<SpokeEventTarget> spokes = this.hub.connections();
        assertThat(spokes).isNotEmpty();
        for (SpokeEventTarget spoke : spokes) {
            spoke.socket().close(CloseCodes.GOING_AWAY, "server closed the connection (test)");
        }

        this.chromium.waitUntil(() -> "1".equals(page.status().getAttribute("data-reconnects"))
                && "open".equals(page.status().getAttribute("data-state")));
        assertThat(page.status().getAttribute("data-last-close-code")).isEqualTo("1001");
        this.api.awaitSubscribers("prices.EON", 1);
        this.api.publish("prices.EON", "{\"price\":51.5}");
        this.chromium.waitUntil(() -> page.price("EON").equals("51.50"));
        assertThat(page.text("#status-text")).contains("reconnected");
        this.chromium.screenshot("after-reconnect");
    }
}
