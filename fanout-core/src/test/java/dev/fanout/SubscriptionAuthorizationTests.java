package dev.fanout;

import java.security.Principal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Level;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.fanout.testing.InMemoryRawSocket;
import dev.fanout.testing.ManualTimeSource;

import static org.assertj.core.api.Assertions.assertThat;

class SubscriptionAuthorizationTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final ManualTimeSource time = new ManualTimeSource();

    private final List<Ask> asks = new CopyOnWriteArrayList<>();

    private final SubscriptionAuthorizer slowAuthorizer = (spoke, topic) -> {
        Ask ask = new Ask(spoke, topic, new CompletableFuture<>());
        this.asks.add(ask);
        return ask.answer();
    };

    private final InMemoryRawSocket socket = new InMemoryRawSocket("spoke");

    private WebSocketServerEventTarget hubWith(SubscriptionAuthorizer authorizer) {
        return WebSocketServerEventTarget.create(WebSocketServerOptions.builder()
            .subscriptionAuthorizer(authorizer)
            .authorizationTimeout(TIMEOUT)
            .maxSubscriptionsPerConnection(2)
            .timeSource(this.time)
            .build());
    }

    @Test
    void aDeniedSubscribeWithAnIdGetsForbiddenAndTheConnectionStaysOpen() {
        WebSocketServerEventTarget hub = hubWith(SubscriptionAuthorizer.allowingWhen((spoke, topic) -> false));
        SpokeEventTarget spoke = hub.addConnection(this.socket);

        this.socket.receiveText(Frames.subscribe("user.bob.inbox", "s1"));
        hub.dispatchEvent(Event.of("user.bob.inbox", "secret"));

        JsonNode reply = Frames.parse(this.socket.sentMessages().get(0));
        assertThat(Frames.replySummary(this.socket.sentMessages().get(0))).isEqualTo("__error:s1:forbidden");
        assertThat(reply.at("/payload/topic").stringValue()).isEqualTo("user.bob.inbox");
        assertThat(this.socket.sentMessages()).hasSize(1);
        assertThat(spoke.subscriptions()).isEmpty();
        assertThat(hub.topicSubscriberCounts()).isEmpty();
        assertThat(this.socket.isOpen()).isTrue();
        assertThat(spoke.isConnected()).isTrue();
    }

    @Test
    void aDeniedSubscribeWithoutAnIdIsSilent() {
        WebSocketServerEventTarget hub = hubWith(SubscriptionAuthorizer.allowingWhen((spoke, topic) -> false));
        hub.addConnection(this.socket);

        this.socket.receiveText(Frames.subscribe("user.bob.inbox"));

        assertThat(this.socket.sentMessages()).isEmpty();
        assertThat(hub.topicSubscriberCounts()).isEmpty();
    }

    @Test
    void theReasonOfADenialIsTheMessageOfTheForbiddenError() {
        WebSocketServerEventTarget hub = hubWith((spoke, topic) -> CompletableFuture
            .completedStage(AuthorizationDecision.deny("only for members of the team")));
        hub.addConnection(this.socket);

        this.socket.receiveText(Frames.subscribe("team.news", "s1"));

        assertThat(Frames.parse(this.socket.sentMessages().get(0)).at("/payload/message").stringValue())
            .isEqualTo("only for members of the team");
    }

    @Test
    void theAuthorizerSeesThePrincipalAndTheHandshakeAttributesOfTheSpoke() {
        Principal alice = () -> "alice";
        this.socket.setPrincipal(alice);
        this.socket.setAttributes(Map.of("tenant", "acme"));
        WebSocketServerEventTarget hub = hubWith(SubscriptionAuthorizer.allowingWhen((spoke, topic) -> spoke
            .principal() != null && topic.equals("user." + spoke.principal().getName() + ".inbox")
                && "acme".equals(spoke.attributes().get("tenant"))));
        SpokeEventTarget spoke = hub.addConnection(this.socket);

        this.socket.receiveText(Frames.subscribe("user.alice.inbox", "s1"));
        this.socket.receiveText(Frames.subscribe("user.bob.inbox", "s2"));

        assertThat(this.socket.sentMessages()).extracting(Frames::replySummary)
            .containsExactly("__ack:s1", "__error:s2:forbidden");
        assertThat(spoke.subscriptions()).containsExactly("user.alice.inbox");
    }

    @Test
    void aSpokeWithoutAPrincipalIsAnonymousToTheAuthorizer() {
        WebSocketServerEventTarget hub = hubWith(SubscriptionAuthorizer.allowingWhen((spoke, topic) -> spoke
            .principal() != null));
        SpokeEventTarget spoke = hub.addConnection(this.socket);

        this.socket.receiveText(Frames.subscribe("news", "s1"));

        assertThat(spoke.principal()).isNull();
        assertThat(spoke.attributes()).isEmpty();
        assertThat(Frames.replySummary(this.socket.sentMessages().get(0))).isEqualTo("__error:s1:forbidden");
    }

    @Test
    void theSpokeReceivesNothingOfTheTopicUntilTheAsynchronousAuthorizerAllowed() {
        WebSocketServerEventTarget hub = hubWith(this.slowAuthorizer);
        SpokeEventTarget spoke = hub.addConnection(this.socket);

        this.socket.receiveText(Frames.subscribe("news", "s1"));
        hub.dispatchEvent(Event.of("news", "before"));

        assertThat(this.socket.sentMessages()).isEmpty();
        assertThat(spoke.subscriptions()).isEmpty();

        this.asks.get(0).answer().complete(AuthorizationDecision.allow());
        hub.dispatchEvent(Event.of("news", "after"));

        assertThat(this.socket.sentMessages()).containsExactly(Frames.ack("s1", "news"),
                "{\"type\":\"news\",\"payload\":\"after\"}");
        assertThat(this.asks).singleElement().satisfies((ask) -> assertThat(ask.topic()).isEqualTo("news"));
    }

    @Test
    void subscribesOfATopicWhileItsAuthorizationIsPendingAreAnsweredTogetherInArrivalOrder() {
        WebSocketServerEventTarget hub = hubWith(this.slowAuthorizer);
        hub.addConnection(this.socket);

        this.socket.receiveText(Frames.subscribe("news", "s1"));
        this.socket.receiveText(Frames.subscribe("news"));
        this.socket.receiveText(Frames.subscribe("news", "s2"));
        this.asks.get(0).answer().complete(AuthorizationDecision.allow());

        assertThat(this.asks).hasSize(1);
        assertThat(this.socket.sentMessages()).containsExactly(Frames.ack("s1", "news"), Frames.ack("s2", "news"));
    }

    @Test
    void repliesAboutOneTopicLeaveInTheOrderTheControlEventsArrivedWhileOtherTopicsMayOvertake() {
        WebSocketServerEventTarget hub = hubWith(this.slowAuthorizer);
        hub.addConnection(this.socket);

        this.socket.receiveText(Frames.subscribe("news", "s1"));
        this.socket.receiveText(Frames.subscribe("weather", "s2"));
        this.socket.receiveText(Frames.subscribe("news", "s3"));
        this.asks.get(1).answer().complete(AuthorizationDecision.allow());
        this.asks.get(0).answer().complete(AuthorizationDecision.allow());
        this.socket.receiveText(Frames.unsubscribe("news", "u4"));

        assertThat(this.socket.sentMessages()).extracting(Frames::replySummary)
            .containsExactly("__ack:s2", "__ack:s1", "__ack:s3", "__ack:u4");
    }

    @Test
    void anUnsubscribeWhileTheAuthorizerIsSlowWinsAndALateAllowSubscribesNothing() {
        WebSocketServerEventTarget hub = hubWith(this.slowAuthorizer);
        SpokeEventTarget spoke = hub.addConnection(this.socket);
        this.socket.receiveText(Frames.subscribe("news", "s1"));

        this.socket.receiveText(Frames.unsubscribe("news", "u1"));
        this.asks.get(0).answer().complete(AuthorizationDecision.allow());
        hub.dispatchEvent(Event.of("news", "late"));

        assertThat(this.socket.sentMessages()).extracting(Frames::replySummary)
            .containsExactly("__error:s1:cancelled", "__ack:u1");
        assertThat(spoke.subscriptions()).isEmpty();
        assertThat(hub.topicSubscriberCounts()).isEmpty();
        assertThat(this.time.pendingTasks()).isZero();
    }

    @Test
    void aSubscribeAfterACancelledOneIsAuthorizedAfresh() {
        WebSocketServerEventTarget hub = hubWith(this.slowAuthorizer);
        SpokeEventTarget spoke = hub.addConnection(this.socket);
        this.socket.receiveText(Frames.subscribe("news", "s1"));
        this.socket.receiveText(Frames.unsubscribe("news", "u1"));

        this.socket.receiveText(Frames.subscribe("news", "s2"));
        this.asks.get(0).answer().complete(AuthorizationDecision.allow());
        this.asks.get(1).answer().complete(AuthorizationDecision.deny());

        assertThat(this.socket.sentMessages()).extracting(Frames::replySummary)
            .containsExactly("__error:s1:cancelled", "__ack:u1", "__error:s2:forbidden");
        assertThat(spoke.subscriptions()).isEmpty();
    }

    @Test
    void anAuthorizerAnsweringAfterTheSpokeDisconnectedLeavesNoSubscriptionAndSendsNothing() {
        WebSocketServerEventTarget hub = hubWith(this.slowAuthorizer);
        SpokeEventTarget spoke = hub.addConnection(this.socket);
        this.socket.receiveText(Frames.subscribe("news", "s1"));

        this.socket.closeFromPeer(1001, "gone");
        this.asks.get(0).answer().complete(AuthorizationDecision.allow());

        assertThat(hub.topicSubscriberCounts()).isEmpty();
        assertThat(hub.connectionCount()).isZero();
        assertThat(spoke.subscriptions()).isEmpty();
        assertThat(this.socket.sentMessages()).isEmpty();
        assertThat(this.time.pendingTasks()).isZero();
    }

    @Test
    void anAuthorizerThatThrowsDeniesAndIsLogged() {
        WebSocketServerEventTarget hub = hubWith((spoke, topic) -> {
            throw new IllegalStateException("directory down");
        });
        hub.addConnection(this.socket);

        try (LogCapture log = LogCapture.ofHub()) {
            this.socket.receiveText(Frames.subscribe("news", "s1"));

            assertThat(log.atLevel(Level.WARN)).singleElement()
                .satisfies((line) -> assertThat(line.getThrowableProxy().getMessage()).isEqualTo("directory down"));
        }
        assertThat(Frames.replySummary(this.socket.sentMessages().get(0))).isEqualTo("__error:s1:forbidden");
        assertThat(hub.topicSubscriberCounts()).isEmpty();
    }

    @Test
    void anAuthorizerThatFailsOrAnswersNullDenies() {
        WebSocketServerEventTarget hub = hubWith(this.slowAuthorizer);
        hub.addConnection(this.socket);
        this.socket.receiveText(Frames.subscribe("a", "s1"));
        this.socket.receiveText(Frames.subscribe("b", "s2"));

        try (LogCapture log = LogCapture.ofHub()) {
            this.asks.get(0).answer().completeExceptionally(new IllegalStateException("directory down"));
            this.asks.get(1).answer().complete(null);
        }

        assertThat(this.socket.sentMessages()).extracting(Frames::replySummary)
            .containsExactly("__error:s1:forbidden", "__error:s2:forbidden");
        assertThat(hub.topicSubscriberCounts()).isEmpty();
    }

    @Test
    void anAuthorizerThatReturnsNullInsteadOfAStageDenies() {
        WebSocketServerEventTarget hub = hubWith((spoke, topic) -> null);
        hub.addConnection(this.socket);

        this.socket.receiveText(Frames.subscribe("news", "s1"));

        assertThat(Frames.replySummary(this.socket.sentMessages().get(0))).isEqualTo("__error:s1:forbidden");
    }

    @Test
    void anAuthorizerThatDoesNotAnswerWithinTheTimeoutDeniesAndIsLogged() {
        WebSocketServerEventTarget hub = hubWith(this.slowAuthorizer);
        SpokeEventTarget spoke = hub.addConnection(this.socket);
        this.socket.receiveText(Frames.subscribe("news", "s1"));

        this.time.advance(TIMEOUT.minusMillis(1));
        assertThat(this.socket.sentMessages()).isEmpty();

        try (LogCapture log = LogCapture.ofHub()) {
            this.time.advance(Duration.ofMillis(1));

            assertThat(log.atLevel(Level.WARN)).singleElement()
                .satisfies((line) -> assertThat(line.getFormattedMessage()).contains("did not answer within"));
        }
        this.asks.get(0).answer().complete(AuthorizationDecision.allow());

        assertThat(this.socket.sentMessages()).extracting(Frames::replySummary).containsExactly("__error:s1:forbidden");
        assertThat(Frames.parse(this.socket.sentMessages().get(0)).at("/payload/message").stringValue())
            .contains("timed out");
        assertThat(spoke.subscriptions()).isEmpty();
    }

    @Test
    void anAnswerInTimeCancelsTheTimeoutAndAnImmediateAnswerSchedulesNone() {
        WebSocketServerEventTarget hub = hubWith(this.slowAuthorizer);
        hub.addConnection(this.socket);
        this.socket.receiveText(Frames.subscribe("news", "s1"));
        assertThat(this.time.pendingTasks()).isOne();

        this.asks.get(0).answer().complete(AuthorizationDecision.allow());

        assertThat(this.time.pendingTasks()).isZero();
        WebSocketServerEventTarget immediate = hubWith(SubscriptionAuthorizer.ALLOW_ALL);
        InMemoryRawSocket other = new InMemoryRawSocket("other");
        immediate.addConnection(other);
        other.receiveText(Frames.subscribe("news", "s1"));
        assertThat(this.time.pendingTasks()).isZero();
    }

    @Test
    void theAuthorizerIsNotAskedAgainForATopicTheSpokeHolds() {
        WebSocketServerEventTarget hub = hubWith(this.slowAuthorizer);
        hub.addConnection(this.socket);
        this.socket.receiveText(Frames.subscribe("news", "s1"));
        this.asks.get(0).answer().complete(AuthorizationDecision.allow());

        this.socket.receiveText(Frames.subscribe("news", "s2"));

        assertThat(this.asks).hasSize(1);
        assertThat(this.socket.sentMessages()).extracting(Frames::replySummary).containsExactly("__ack:s1", "__ack:s2");
    }

    @Test
    void pendingSubscribesCountTowardsTheSubscriptionLimit() {
        WebSocketServerEventTarget hub = hubWith(this.slowAuthorizer);
        hub.addConnection(this.socket);
        this.socket.receiveText(Frames.subscribe("a", "s1"));
        this.socket.receiveText(Frames.subscribe("b", "s2"));

        this.socket.receiveText(Frames.subscribe("c", "s3"));

        assertThat(this.asks).hasSize(2);
        assertThat(this.socket.sentMessages()).extracting(Frames::replySummary)
            .containsExactly("__error:s3:subscription_limit");
    }

    private record Ask(SpokeEventTarget spoke, String topic, CompletableFuture<AuthorizationDecision> answer) {
    }
}
