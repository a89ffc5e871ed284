package dev.fanout.sample;

import java.io.IOException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's private per-user inboxes and refusals in headless Chromium: Spring Security's form login with the
 * demo users, the app's {@code SubscriptionAuthorizer}, and the chat telling the sender why a message was refused.
 * Skipped, naming what is missing, only when Chromium or its driver is not installed.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "sample.feed.enabled=false", "sample.chat.max-text-length=10" })
class PrivateInboxBrowserTests {

    private static final int SYMBOLS = 6;

    @LocalServerPort
    private int port;

    private HeadlessChromium chromium;

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
    void aSignedInUserSeesOnlyTheirOwnInboxAndSubscribingToAnotherByHandIsForbidden() {
        SampleApi api = new SampleApi(this.port);
        BoardPage alice = new BoardPage(this.chromium).signIn(this.port, "alice", "demo", SYMBOLS);
        this.chromium.waitUntil(() -> "live".equals(alice.inboxState()));
        alice.recordTopic("user.bob.inbox");

        api.publish("user.bob.inbox", "{\"text\":\"for bob only\"}");
        api.publish("user.alice.inbox", "{\"text\":\"hello alice\"}");
        this.chromium.waitUntil(() -> alice.inboxTexts().contains("hello alice"));

        assertThat(alice.inboxTexts()).containsExactly("hello alice");
        assertThat(alice.recordedCount("user.bob.inbox")).isZero();
        assertThat(alice.subscribeByHand("user.bob.inbox")).isEqualTo("forbidden");
        api.publish("user.bob.inbox", "{\"text\":\"still for bob\"}");
        api.publish("user.alice.inbox", "{\"text\":\"again alice\"}");
        this.chromium.waitUntil(() -> alice.inboxTexts().contains("again alice"));
        assertThat(alice.recordedCount("user.bob.inbox")).isZero();
        this.chromium.screenshot("private-inbox-alice");
    }

    @Test
    void anAnonymousPageKeepsItsPublicTopicsAndAnyUsersInboxIsForbidden() {
        BoardPage anonymous = new BoardPage(this.chromium).open(this.port, SYMBOLS);

        assertThat(this.chromium.driver().findElement(By.id("inbox")).isDisplayed()).isFalse();
        assertThat(anonymous.subscribeByHand("user.alice.inbox")).isEqualTo("forbidden");
        assertThat(anonymous.subscribeByHand("user.nobody.inbox")).isEqualTo("forbidden");
        assertThat(anonymous.subscribeByHand("prices.ACME")).isEqualTo("ack");
        assertThat(anonymous.subscribeByHand("chat")).isEqualTo("ack");
    }

    @Test
    void theChatShowsWhyTheAppRefusedAMessage() {
        BoardPage page = new BoardPage(this.chromium).open(this.port, SYMBOLS);

        page.type("#chat-user", "ada");
        page.sendChat("far more than ten characters");

        this.chromium.waitUntil(() -> page.text("#chat-notice").contains("refused"));
        assertThat(page.text("#chat-notice")).contains("text is longer than 10 characters")
            .contains("invalid_chat_message");
        assertThat(page.chatTexts("ada")).isEmpty();
    }
}
