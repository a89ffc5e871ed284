package dev.fanout.sample;

import java.util.List;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The sample's page as the browser tests see it, through its stable ids and data attributes.
 */
final class BoardPage {

    private final HeadlessChromium chromium;

    private final WebDriver driver;

    BoardPage(HeadlessChromium chromium) {
        this.chromium = chromium;
        this.driver = chromium.driver();
    }

    BoardPage open(int port, int symbols) {
        this.driver.get("http://localhost:" + port + "/");
        this.chromium.waitUntil(() -> "open".equals(status().getAttribute("data-state"))
                && this.driver.findElements(By.cssSelector("#symbols input[data-symbol]")).size() == symbols);
        return this;
    }

    /**
     * Signs in with the sample's login form; the form then opens the page.
     */
    BoardPage signIn(int port, String user, String password, int symbols) {
        this.driver.get("http://localhost:" + port + "/login");
        this.driver.findElement(By.id("username")).sendKeys(user);
        this.driver.findElement(By.id("password")).sendKeys(password);
        this.driver.findElement(By.cssSelector("button[type='submit']")).click();
        this.chromium.waitUntil(() -> "open".equals(status().getAttribute("data-state"))
                && this.driver.findElements(By.cssSelector("#symbols input[data-symbol]")).size() == symbols);
        return this;
    }

    String inboxState() {
        return this.driver.findElement(By.id("inbox-state")).getAttribute("data-state");
    }

    List<String> inboxTexts() {
        return this.driver.findElements(By.cssSelector("#inbox-log li")).stream().map(WebElement::getText).toList();
    }

    /**
     * Subscribes by hand, as a curious user would in the console, and returns {@code "ack"} or the error's code.
     */
    String subscribeByHand(String topic) {
        return (String) ((JavascriptExecutor) this.driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "window.fanoutClient.subscribe(arguments[0]).then(() => done('ack'), (e) => done(e.code));",
                topic);
    }

    /**
     * Records in the page every event of a topic that reaches the client, whether or not the page shows it.
     */
    void recordTopic(String topic) {
        ((JavascriptExecutor) this.driver).executeScript(
                "window.recorded = window.recorded || {}; window.recorded[arguments[0]] = [];"
                        + "window.fanoutClient.addEventListener(arguments[0], (e) => "
                        + "window.recorded[arguments[0]].push(e.payload));",
                topic);
    }

    long recordedCount(String topic) {
        return (Long) ((JavascriptExecutor) this.driver)
            .executeScript("return window.recorded[arguments[0]].length;", topic);
    }

    WebElement status() {
        return this.driver.findElement(By.id("status"));
    }

    WebElement checkbox(String symbol) {
        return this.driver.findElement(By.cssSelector("#symbols input[data-symbol='" + symbol + "']"));
    }

    void toggle(String symbol) {
        checkbox(symbol).findElement(By.xpath("./..")).click();
    }

    WebElement row(String symbol) {
        return this.driver.findElement(By.cssSelector("#price-rows tr[data-symbol='" + symbol + "']"));
    }

    String price(String symbol) {
        return row(symbol).findElement(By.cssSelector("[data-field='price']")).getText();
    }

    String text(String selector) {
        WebElement element = this.driver.findElement(By.cssSelector(selector));
        return "input".equals(element.getTagName()) ? String.valueOf(element.getDomProperty("value"))
                : element.getText();
    }

    void type(String selector, String value) {
        WebElement input = this.driver.findElement(By.cssSelector(selector));
        input.clear();
        input.sendKeys(value);
    }

    void sendChat(String text) {
        type("#chat-input", text);
        this.driver.findElement(By.id("chat-send")).click();
    }

    List<String> chatTexts(String user) {
        return this.driver.findElements(By.cssSelector("#chat-log li[data-user='" + user + "'] .chat-text")).stream()
                .map(WebElement::getText)
                .toList();
    }

    /** The events per second the live chart shows now. */
    double chartEventsRate() {
        return Double.parseDouble(this.driver.findElement(By.id("live-chart")).getAttribute("data-events-rate"));
    }

    /** The spokes the live chart shows now. */
    int chartSpokes() {
        return Integer.parseInt(this.driver.findElement(By.id("live-chart")).getAttribute("data-spokes"));
    }

    /** The points of one line of the live chart ({@code events} or {@code spokes}), as "x,y" pairs. */
    List<String> chartPoints(String series) {
        String points = this.driver.findElement(By.id("chart-" + series)).getAttribute("points");
        return (points == null || points.isBlank()) ? List.of() : List.of(points.trim().split(" "));
    }

    boolean showsTopic(String topic) {
        return this.driver.findElements(By.cssSelector("#stat-topics [data-topic='" + topic + "']")).size() == 1;
    }
}
