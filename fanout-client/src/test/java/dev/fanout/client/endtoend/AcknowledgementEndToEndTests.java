package dev.fanout.client.endtoend;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

import dev.fanout.ErrorCodes;
import dev.fanout.Event;
import dev.fanout.ListenerRegistration;
import dev.fanout.SubscriptionAuthorizer;
import dev.fanout.WebSocketServerEventTarget;
import dev.fanout.client.HubErrorException;
import dev.fanout.client.Recovery;
import dev.fanout.client.SubscriptionAck;
import dev.fanout.client.WebSocketClientEventTarget;
import dev.fanout.spring.autoconfigure.FanoutCustomizer;

import static dev.fanout.client.endtoend.Clients.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Protocol 1.1 through the client against a real hub: subscriptions acknowledged or refused with a code, and the
 * outcome of every resubscription after a reconnect. The hub denies topics under {@code private.} and refuses chat
 * messages longer than 20 characters.
 */
@SpringBootTest(classes = { HubApplication.class, AcknowledgementEndToEndTests.Rules.class },
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AcknowledgementEndToEndTests {

    @LocalServerPort
    private int port;

    @Autowired
    private WebSocketServerEventTarget hub;

    private final Clients clients = new Clients();

    private ListenerRegistration chatRule;

    @BeforeEach
    void refuseLongChatMessages() {
        await().atMost(WAIT).until(() -> this.hub.connectionCount() == 0);
        this.chatRule = this.hub.addSpokeEventListener("chat", (event, from) -> {
            if (event.payloadAs(String.class).length() > 20) {
                from.reject(event, "too_long", "at most 20 characters");
            }
        });
    }

    @AfterEach
    void closeClients() {
        this.clients.close();
        this.chatRule.remove();
    }

    @Test
    void subscribeCompletesWithTheHubsAckOnceTheSubscriptionIsEffective() {
        WebSocketClientEventTarget client = this.clients.connect(this.port);
        List<String> received = new CopyOnWriteArrayList<>();
        client.addEventListener("prices", (event) -> received.add(event.payloadAs(String.class)));

        SubscriptionAck ack = client.subscribe("prices").join();

        assertThat(ack).isEqualTo(new SubscriptionAck("prices", false, Recovery.NOT_REQUESTED, null));
        assertThat(this.hub.topicSubscriberCounts()).containsEntry("prices", 1);
        this.hub.dispatchEvent(Event.of("prices", "first"));
        await().atMost(WAIT).until(() -> received.contains("first"));
    }

    @Test
    void aDeniedSubscribeFailsWithForbiddenAndTheConnectionStaysOpen() {
        WebSocketClientEventTarget client = this.clients.connect(this.port);
        CompletableFuture<SubscriptionAck> denied = client.subscribe("private.salaries");

        assertThatExceptionOfType(java.util.concurrent.CompletionException.class).isThrownBy(denied::join)
            .havingCause()
            .isInstanceOfSatisfying(HubErrorException.class, (error) -> {
                assertThat(error.code()).isEqualTo(ErrorCodes.FORBIDDEN);
                assertThat(error.topic()).isEqualTo("private.salaries");
            });
        assertThat(client.subscriptions()).isEmpty();
        assertThat(client.subscribe("public").join().topic()).isEqualTo("public");
        assertThat(this.hub.topicSubscriberCounts()).doesNotContainKey("private.salaries").containsEntry("public", 1);
    }

    @Test
    void aTopicTheHubFindsInvalidFailsWithInvalidTopic() {
        WebSocketClientEventTarget client = this.clients.connect(this.port);
        assertThat(client.subscribe("t".repeat(300)).handle((ack, error) -> error.getCause()).join())
            .isInstanceOfSatisfying(HubErrorException.class,
                    (error) -> assertThat(error.code()).isEqualTo(ErrorCodes.INVALID_TOPIC));
    }

    @Test
    void unsubscribeCompletesWithTheHubsAck() {
        WebSocketClientEventTarget client = this.clients.connect(this.port);
        client.subscribe("prices").join();
        client.unsubscribe("prices").join();
        assertThat(this.hub.topicSubscriberCounts()).doesNotContainKey("prices");
        client.unsubscribe("never-subscribed").join();
    }

    @Test
    void afterAReconnectEveryResubscriptionIsReportedWithoutRecoveryFromAHubWithoutHistory() {
        WebSocketClientEventTarget client = this.clients.connect(this.port);
        List<SubscriptionAck> restored = Resubscriptions.of(client).restored;
        client.subscribe("a").join();
        client.subscribe("b").join();

        this.hub.connections().forEach((spoke) -> spoke.socket().close(1011, "internal error"));

        await().atMost(WAIT).until(() -> restored.size() == 2);
        assertThat(restored).extracting(SubscriptionAck::topic).containsExactly("a", "b");
        assertThat(restored).allSatisfy((ack) -> {
            assertThat(ack.resubscription()).isTrue();
            assertThat(ack.recovery()).isEqualTo(Recovery.NOT_REQUESTED);
            assertThat(ack.mayHaveMissedEvents()).isTrue();
        });
    }

    @Test
    void aRefusalOfAnEventTheClientSentReachesItsErrorListenersWithTheEventsId() {
        WebSocketClientEventTarget client = this.clients.connect(this.port);
        List<Event> errors = new CopyOnWriteArrayList<>();
        client.addEventListener("__error", errors::add);

        client.dispatchEvent(Event.of("chat", "short-1", "hello"));
        client.dispatchEvent(Event.of("chat", "long-1", "far too long for this chat room"));

        await().atMost(WAIT).until(() -> errors.size() == 1);
        assertThat(errors.get(0).id()).isEqualTo("long-1");
        assertThat(errors.get(0).payloadAs(Refusal.class)).isEqualTo(new Refusal("chat", "too_long"));
    }

    record Refusal(String topic, String code) {
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class Rules {

        @Bean
        FanoutCustomizer denyPrivateTopics() {
            return (builder) -> builder.subscriptionAuthorizer(
                    SubscriptionAuthorizer.allowingWhen((spoke, topic) -> !topic.startsWith("private.")));
        }
    }
}
