package dev.fanout.spring.endtoend;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.JsonNode;

import dev.fanout.AuthorizationDecision;
import dev.fanout.Event;
import dev.fanout.SpokeEventTarget;
import dev.fanout.SubscriptionAuthorizer;
import dev.fanout.WebSocketServerEventTarget;
import dev.fanout.spring.listener.FanoutListener;
import dev.fanout.testing.TestSpoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Protocol 1.1 over real Tomcat and the JDK's WebSocket client: acknowledgements, the application's
 * {@link SubscriptionAuthorizer} bean with the handshake's principal, and refusals from listeners.
 */
@SpringBootTest(classes = { FanoutTestApplication.class, FanoutProtocol11Tests.Rules.class },
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FanoutProtocol11Tests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @LocalServerPort
    private int port;

    @Autowired
    private WebSocketServerEventTarget hub;

    @Autowired
    private Rules rules;

    private final List<TestSpoke> spokes = new ArrayList<>();

    @BeforeEach
    void hubStartsEmpty() {
        await().atMost(WAIT).until(() -> this.hub.connectionCount() == 0);
    }

    @AfterEach
    void closeSpokes() {
        this.spokes.forEach(TestSpoke::close);
    }

    @Test
    void aSubscribeWithAnIdIsAcknowledgedAndEventsFollow() {
        TestSpoke spoke = connect(null);

        JsonNode ack = spoke.subscribe("prices.ACME", "s1").awaitReply("s1");
        this.hub.dispatchEvent(Event.of("prices.ACME", 42));

        assertThat(ack.get("type").stringValue()).isEqualTo("__ack");
        assertThat(ack.at("/payload/topic").stringValue()).isEqualTo("prices.ACME");
        assertThat(spoke.awaitEvent("prices.ACME").get("payload").intValue()).isEqualTo(42);
    }

    @Test
    void aSubscribeWithoutAnIdStaysSilentAsInProtocol1() {
        TestSpoke spoke = connect(null);

        spoke.subscribe("prices.ACME");
        spoke.subscribe("prices.ACME", "marker").awaitReply("marker");

        assertThat(spoke.received()).extracting((event) -> event.get("id").stringValue()).containsExactly("marker");
    }

    @Test
    void theAuthorizerBeanSeesTheHandshakesPrincipalAndAUserMaySubscribeOnlyToTheirOwnTopics() {
        TestSpoke alice = connect("alice");

        JsonNode own = alice.subscribe("user.alice.inbox", "own").awaitReply("own");
        JsonNode other = alice.subscribe("user.bob.inbox", "other").awaitReply("other");
        this.hub.dispatchEvent(Event.of("user.bob.inbox", "for bob"));
        this.hub.dispatchEvent(Event.of("user.alice.inbox", "for alice"));

        assertThat(own.get("type").stringValue()).isEqualTo("__ack");
        assertThat(other.get("type").stringValue()).isEqualTo("__error");
        assertThat(other.at("/payload/code").stringValue()).isEqualTo("forbidden");
        assertThat(alice.awaitEvent("user.alice.inbox").get("payload").stringValue()).isEqualTo("for alice");
        assertThat(alice.received("user.bob.inbox")).isEmpty();
        assertThat(alice.isOpen()).isTrue();
        assertThat(this.rules.principals).contains("alice");
    }

    @Test
    void anAnonymousSpokeMayNotSubscribeToAnyUsersTopicButToPublicOnes() {
        TestSpoke anonymous = connect(null);

        JsonNode inbox = anonymous.subscribe("user.alice.inbox", "inbox").awaitReply("inbox");
        JsonNode prices = anonymous.subscribe("prices.ACME", "prices").awaitReply("prices");

        assertThat(inbox.at("/payload/code").stringValue()).isEqualTo("forbidden");
        assertThat(prices.get("type").stringValue()).isEqualTo("__ack");
    }

    @Test
    void aListenerThatRefusesAnEventTellsTheSenderWhyWithTheAppsCode() {
        TestSpoke spoke = connect(null);

        spoke.sendJson("{\"type\":\"shout\",\"id\":\"m1\",\"payload\":\"far too long\"}");
        JsonNode refusal = spoke.awaitReply("m1");

        assertThat(refusal.get("type").stringValue()).isEqualTo("__error");
        assertThat(refusal.at("/payload/topic").stringValue()).isEqualTo("shout");
        assertThat(refusal.at("/payload/code").stringValue()).isEqualTo("too_long");
        assertThat(refusal.at("/payload/message").stringValue()).isEqualTo("at most 5 chars");
    }

    private TestSpoke connect(String user) {
        URI uri = URI.create("ws://localhost:" + this.port + "/fanout");
        TestSpoke spoke = (user != null) ? TestSpoke.connect(uri, Map.of("X-User", user)) : TestSpoke.connect(uri);
        this.spokes.add(spoke);
        return spoke;
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class Rules {

        final List<String> principals = new CopyOnWriteArrayList<>();

        @Bean
        SubscriptionAuthorizer ownTopicsAndPrices() {
            return (spoke, topic) -> {
                String user = (spoke.principal() != null) ? spoke.principal().getName() : null;
                if (user != null) {
                    this.principals.add(user);
                }
                boolean allowed = topic.startsWith("prices.") || (user != null && topic.startsWith("user." + user
                        + "."));
                return decided(allowed);
            };
        }

        private static CompletionStage<AuthorizationDecision> decided(boolean allowed) {
            return CompletableFuture.supplyAsync(() -> allowed ? AuthorizationDecision.allow()
                    : AuthorizationDecision.deny("only your own user topics"));
        }

        @Bean
        ShoutListener shoutListener() {
            return new ShoutListener();
        }
    }

    static final class ShoutListener {

        @FanoutListener("shout")
        void onShout(String text, SpokeEventTarget sender, Event event) {
            if (text.length() > 5) {
                sender.reject(event, "too_long", "at most 5 chars");
            }
        }
    }
}
