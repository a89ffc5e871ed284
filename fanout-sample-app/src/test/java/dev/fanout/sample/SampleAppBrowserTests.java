package dev.fanout.sample;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.stream.Stream;

import dev.fanout.CloseCodes;
import dev.fanout.SpokeEventTarget;
import dev.fanout.WebSocketServerEventTarget;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The sample's page in headless Chromium, driven by Selenium through the system {@code chromedriver}, against the
 * app on a random port with the price feed off (so every price on screen was published by the test). Screenshots
 * go to {@code target/screenshots/}. Skipped, naming what is missing, only when Chromium or its driver is not
 * installed ({@code .ci/run} installs both).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.feed.enabled=false")
class SampleAppBrowserTests {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private static @Nullable String chromium;

    private static @Nullable String chromedriver;

    private final WebSocketServerEventTarget hub;

    private final int port;

    private final SampleApi api;

    private final List<Path> profiles = new ArrayList<>();

    private @Nullable ChromeDriverService service;

    private @Nullable ChromeDriver driver;

    SampleAppBrowserTests(@Autowired WebSocketServerEventTarget hub, @LocalServerPort int port) {
        this.hub = hub;
        this.port = port;
        this.api = new SampleApi(port);
    }

    @BeforeAll
    static void findChromium() {
        chromium = firstExecutable(System.getenv("CHROME_BIN"), "/usr/bin/chromium", "/usr/bin/chromium-browser",
                "/usr/bin/google-chrome").orElse(null);
        chromedriver = firstExecutable(System.getenv("CHROMEDRIVER"), "/usr/bin/chromedriver",
                "/usr/lib/chromium/chromedriver").orElse(null);
        assumeTrue(chromium != null && chromedriver != null,
                () -> "Skipping the browser test: " + (chromium == null ? "Chromium (/usr/bin/chromium) " : "")
                        + (chromedriver == null ? "chromedriver (/usr/bin/chromedriver) " : "")
                        + "not installed; run `apt-get install -y chromium chromium-driver` (.ci/run does)");
    }

    @BeforeEach
    void startBrowser() throws IOException {
        Path profile = Files.createTempDirectory("fanout-chromium-");
        this.profiles.add(profile);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-dev-shm-usage", "--lang=en-US", "--window-size=1400,1000",
                "--user-data-dir=" + profile.toAbsolutePath());
        LoggingPreferences logging = new LoggingPreferences();
        logging.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logging);
        this.service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(chromedriver))
                .usingAnyFreePort()
                .build();
        this.driver = new ChromeDriver(this.service, options);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterEach
    void stopBrowser(TestInfo test) throws IOException {
        try {
            if (this.driver != null) {
                List<String> scriptErrors = this.driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                        .map(LogEntry::getMessage)
                        .filter((message) -> message.contains("Uncaught"))
                        .toList();
                assertThat(scriptErrors).as("uncaught script errors in %s", test.getDisplayName()).isEmpty();
            }
        }
        finally {
            if (this.driver != null) {
                this.driver.quit();
            }
            if (this.service != null) {
                this.service.stop();
            }
            for (Path profile : this.profiles) {
                deleteRecursively(profile);
            }
        }
    }

    @Test
    void subscribingToASymbolRendersPricesPublishedThroughTheApiAndFlashesTheChange() {
        ChromeDriver browser = browser();
        openBoard(browser);
        assertThat(checkbox(browser, "FIZZ").isSelected()).isFalse();

        toggle(browser, "FIZZ");
        this.api.awaitSubscribers("prices.FIZZ", 1);
        assertThat(this.api.publish("prices.FIZZ", "{\"symbol\":\"FIZZ\",\"price\":123.45,\"open\":120}")
                .statusCode()).isEqualTo(202);

        waitUntil(browser, () -> priceOf(browser, "FIZZ").equals("123.45"));
        assertThat(checkbox(browser, "FIZZ").isSelected()).isTrue();
        assertThat(row(browser, "FIZZ").getAttribute("data-direction")).isEqualTo("up");

        this.api.publish("prices.FIZZ", "{\"symbol\":\"FIZZ\",\"price\":119.5,\"open\":120}");
        waitUntil(browser, () -> priceOf(browser, "FIZZ").equals("119.50"));
        assertThat(row(browser, "FIZZ").getAttribute("class")).contains("flash-down");
        assertThat(row(browser, "FIZZ").getAttribute("data-direction")).isEqualTo("down");
        waitUntil(browser, () -> !text(browser, "#stat-connections").equals("–")
                && browser.findElements(By.cssSelector("#stat-topics [data-topic='prices.FIZZ']")).size() == 1);
        screenshot(browser, "market-board");

        toggle(browser, "FIZZ");
        this.api.awaitSubscribers("prices.FIZZ", 0);
        assertThat(row(browser, "FIZZ").getAttribute("class")).contains("unsubscribed");
    }

    @Test
    void chatMessageSentFromOneWindowAppearsInASecondWindow() {
        ChromeDriver browser = browser();
        openBoard(browser);
        String alice = browser.getWindowHandle();
        setInput(browser, "#chat-user", "alice");
        browser.switchTo().newWindow(WindowType.WINDOW);
        String bob = browser.getWindowHandle();
        openBoard(browser);
        setInput(browser, "#chat-user", "bob");
        this.api.awaitSubscribers("chat", 2);

        browser.switchTo().window(alice);
        setInput(browser, "#chat-input", "hello from alice");
        browser.findElement(By.id("chat-send")).click();

        browser.switchTo().window(bob);
        waitUntil(browser, () -> chatTexts(browser, "alice").contains("hello from alice"));
        screenshot(browser, "chat-second-window");
        browser.switchTo().window(alice);
        waitUntil(browser, () -> chatTexts(browser, "alice").contains("hello from alice"));
        assertThat(browser.findElement(By.cssSelector("#chat-log li[data-user='alice']")).getAttribute("class"))
                .contains("mine");
        assertThat(text(browser, "#chat-input")).isEmpty();
        screenshot(browser, "chat-first-window");
    }

    @Test
    void clientReconnectsAfterTheServerClosesItsConnectionAndReceivesAgain() {
        ChromeDriver browser = browser();
        openBoard(browser);
        toggle(browser, "EON");
        this.api.awaitSubscribers("prices.EON", 1);
        this.api.publish("prices.EON", "{\"price\":50}");
        waitUntil(browser, () -> priceOf(browser, "EON").equals("50.00"));

        List<SpokeEventTarget> spokes = this.hub.connections();
        assertThat(spokes).isNotEmpty();
        for (SpokeEventTarget spoke : spokes) {
            spoke.socket().close(CloseCodes.GOING_AWAY, "server closed the connection (test)");
        }

        waitUntil(browser, () -> "1".equals(status(browser).getAttribute("data-reconnects"))
                && "open".equals(status(browser).getAttribute("data-state")));
        assertThat(status(browser).getAttribute("data-last-close-code")).isEqualTo("1001");
        this.api.awaitSubscribers("prices.EON", 1);
        this.api.publish("prices.EON", "{\"price\":51.5}");
        waitUntil(browser, () -> priceOf(browser, "EON").equals("51.50"));
        assertThat(text(browser, "#status-text")).contains("reconnected");
        screenshot(browser, "after-reconnect");
    }

    private ChromeDriver browser() {
        assertThat(this.driver).isNotNull();
        return this.driver;
    }

    private void openBoard(WebDriver browser) {
        browser.get("http://localhost:" + this.port + "/");
        waitUntil(browser, () -> "open".equals(status(browser).getAttribute("data-state"))
                && browser.findElements(By.cssSelector("#symbols input[data-symbol]")).size() == 6);
    }

    private static WebElement status(WebDriver browser) {
        return browser.findElement(By.id("status"));
    }

    private static WebElement checkbox(WebDriver browser, String symbol) {
        return browser.findElement(By.cssSelector("#symbols input[data-symbol='" + symbol + "']"));
    }

    private static void toggle(WebDriver browser, String symbol) {
        checkbox(browser, symbol).findElement(By.xpath("./..")).click();
    }

    private static WebElement row(WebDriver browser, String symbol) {
        return browser.findElement(By.cssSelector("#price-rows tr[data-symbol='" + symbol + "']"));
    }

    private static String priceOf(WebDriver browser, String symbol) {
        return row(browser, symbol).findElement(By.cssSelector("[data-field='price']")).getText();
    }

    private static String text(WebDriver browser, String selector) {
        WebElement element = browser.findElement(By.cssSelector(selector));
        String tag = element.getTagName();
        return "input".equals(tag) ? String.valueOf(element.getDomProperty("value")) : element.getText();
    }

    private static void setInput(WebDriver browser, String selector, String value) {
        WebElement input = browser.findElement(By.cssSelector(selector));
        input.clear();
        input.sendKeys(value);
    }

    private static List<String> chatTexts(WebDriver browser, String user) {
        return browser.findElements(By.cssSelector("#chat-log li[data-user='" + user + "'] .chat-text")).stream()
                .map(WebElement::getText)
                .toList();
    }

    private static void waitUntil(WebDriver browser, java.util.function.BooleanSupplier condition) {
        new WebDriverWait(browser, WAIT).until((ignored) -> condition.getAsBoolean());
    }

    private static void screenshot(WebDriver browser, String name) {
        byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        try {
            Files.write(SCREENSHOTS.resolve(name + ".png"), png);
        }
        catch (IOException ex) {
            throw new IllegalStateException("Cannot save screenshot " + name, ex);
        }
    }

    private static Optional<String> firstExecutable(@Nullable String... candidates) {
        return Stream.of(candidates)
                .filter((candidate) -> candidate != null && !candidate.isBlank())
                .filter((candidate) -> Files.isExecutable(Path.of(candidate)))
                .findFirst();
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
