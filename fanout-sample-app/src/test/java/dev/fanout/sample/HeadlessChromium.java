package dev.fanout.sample;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.stream.Stream;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.fanout.testing.Prerequisites;

/**
 * A headless Chromium driven by the system {@code chromedriver}, with a fresh profile that is deleted on close.
 * {@link #assumeInstalled()} applies the {@link Prerequisites} policy when Chromium or its driver is not installed:
 * fail under {@code CI=true}, otherwise skip with a warning naming what is missing.
 */
final class HeadlessChromium implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final Path profile;

    private final ChromeDriverService service;

    private final ChromeDriver driver;

    private HeadlessChromium(String chromium, String chromedriver) throws IOException {
        this.profile = Files.createTempDirectory("fanout-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-dev-shm-usage", "--lang=en-US", "--window-size=1400,1000",
                "--user-data-dir=" + this.profile.toAbsolutePath());
        LoggingPreferences logging = new LoggingPreferences();
        logging.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logging);
        this.service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(chromedriver))
                .usingAnyFreePort()
                .build();
        this.driver = new ChromeDriver(this.service, options);
    }

    /**
     * Fails (under {@code CI=true}) or skips the current test (or class) unless Chromium and chromedriver are
     * installed.
     */
    static void assumeInstalled() {
        Prerequisites.require(chromium().isPresent() && chromedriver().isPresent(),
                (chromium().isEmpty() ? "Chromium (/usr/bin/chromium) " : "")
                        + (chromedriver().isEmpty() ? "chromedriver (/usr/bin/chromedriver)" : "").trim(),
                "apt-get install -y chromium chromium-driver");
    }

    static HeadlessChromium start() throws IOException {
        return new HeadlessChromium(chromium().orElseThrow(), chromedriver().orElseThrow());
    }

    ChromeDriver driver() {
        return this.driver;
    }

    void waitUntil(BooleanSupplier condition) {
        new WebDriverWait(this.driver, WAIT).until((ignored) -> condition.getAsBoolean());
    }

    void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.write(SCREENSHOTS.resolve(name + ".png"), this.driver.getScreenshotAs(OutputType.BYTES));
        }
        catch (IOException ex) {
            throw new IllegalStateException("Cannot save screenshot " + name, ex);
        }
    }

    /**
     * The uncaught script errors the pages logged to the console so far.
     *
     * @return the console messages that report an uncaught error
     */
    List<String> uncaughtScriptErrors() {
        return this.driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .map(LogEntry::getMessage)
                .filter((message) -> message.contains("Uncaught"))
                .toList();
    }

    @Override
    public void close() throws IOException {
        try {
            this.driver.quit();
        }
        finally {
            this.service.stop();
            deleteRecursively(this.profile);
        }
    }

    private static Optional<String> chromium() {
        return Prerequisites.firstExecutable(System.getenv("CHROME_BIN"), "/usr/bin/chromium",
                "/usr/bin/chromium-browser", "/usr/bin/google-chrome");
    }

    private static Optional<String> chromedriver() {
        return Prerequisites.firstExecutable(System.getenv("CHROMEDRIVER"), "/usr/bin/chromedriver",
                "/usr/lib/chromium/chromedriver");
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
