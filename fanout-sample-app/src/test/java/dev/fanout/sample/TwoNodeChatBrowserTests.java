package dev.fanout.sample;

import java.io.IOException;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's "Run two nodes": the same sample application twice, clustered with {@code fanout.broker.type=redis}
 * over a real {@code redis-server}, one headless Chromium page on each node; a chat message typed on one page appears
 * on the other.
 */
class TwoNodeChatBrowserTests {

    private static final int SYMBOLS = 6;

    private static SampleCluster cluster;

    @BeforeAll
    static void startRedisAndTwoNodes() {
        HeadlessChromium.assumeInstalled();
        cluster = SampleCluster.start(2);
    }

    @AfterAll
    static void stopNodesAndRedis() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aChatMessageTypedOnThePageOfOneNodeAppearsOnThePageOfTheOther() throws IOException {
        try (HeadlessChromium chromium = HeadlessChromium.start()) {
            ChromeDriver browser = chromium.driver();
            BoardPage page = new BoardPage(chromium).open(port(0), SYMBOLS);
            String onNodeA = browser.getWindowHandle();
            page.type("#chat-user", "alice");
            browser.switchTo().newWindow(WindowType.WINDOW);
            String onNodeB = browser.getWindowHandle();
            page.open(port(1), SYMBOLS);
            page.type("#chat-user", "bob");
            new SampleApi(port(0)).awaitSubscribers("chat", 1);
            new SampleApi(port(1)).awaitSubscribers("chat", 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> cluster.redis().subscribers("fanout.t.chat") == 2);

            browser.switchTo().window(onNodeA);
            page.sendChat("hello from node A");

            browser.switchTo().window(onNodeB);
            chromium.waitUntil(() -> page.chatTexts("alice").contains("hello from node A"));
            chromium.screenshot("two-nodes-chat-on-node-b");
            page.sendChat("hello back from node B");
            browser.switchTo().window(onNodeA);
            chromium.waitUntil(() -> page.chatTexts("bob").contains("hello back from node B"));
            assertThat(page.chatTexts("alice")).containsExactly("hello from node A");
            assertThat(chromium.uncaughtScriptErrors()).isEmpty();
        }
    }

    private static int port(int node) {
        return cluster.port(node);
    }
}
