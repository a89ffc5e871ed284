package dev.fanout.client.internal;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.fanout.Event;
import dev.fanout.client.AckTimeoutException;
import dev.fanout.client.ClientClosedException;
import dev.fanout.client.ConnectionState;
import dev.fanout.client.ConnectionStateChange;
import dev.fanout.client.HubErrorException;
import dev.fanout.client.Recovery;
import dev.fanout.client.StreamPosition;
import dev.fanout.client.SubscribeOptions;
import dev.fanout.client.SubscriptionAck;
import dev.fanout.client.WebSocketClientOptions;
import dev.fanout.client.internal.FakeTransport.FakeChannel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * The client's state machine over a fake transport, a hand-driven clock and a fixed random source: every
 * interleaving here is deterministic and runs in milliseconds.
 */
class ReconnectingClientTests {

    private static final Duration BASE = Duration.ofMillis(100);

    private static final Duration MAX = Duration.ofMillis(1600);

    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(5);

    private final FakeTransport transport = new FakeTransport();

    private final ManualScheduler scheduler = new ManualScheduler();

    private final FixedRandom random = new FixedRandom(0.5);

    private final List<ConnectionStateChange> changes = new ArrayList<>();

    private final List<Event> received = new ArrayList<>();

    private final SubscriptionOutcomes outcomes = new SubscriptionOutcomes();

    private final List<Object> subscriptionOutcomes = this.outcomes.heard;

    private boolean released;

    private ReconnectingClient client;

    @BeforeEach
    void createClient() {
        this.client = new ReconnectingClient(WebSocketClientOptions.builder(URI.create("ws://hub.test/fanout"))
            .reconnectDelay(BASE, MAX)
            .ackTimeout(ACK_TIMEOUT)
            .maxQueuedEvents(3)
            .build(), this.transport, this.scheduler, this.scheduler, this.random, () -> this.released = true);
        this.client.addStateListener(this.changes::add);
        this.client.addSubscriptionListener(this.outcomes);
    }

    @AfterEach
    void closeClient() {
        this.client.close();
    }

    @Test
    void aNewClientDoesNotConnectUntilStarted() {
        assertThat(this.client.state()).isEqualTo(ConnectionState.NEW);
        assertThat(this.transport.attemptCount()).isZero();
        this.client.start();
        this.client.start();
        assertThat(this.transport.attemptCount()).isOne();
        assertThat(this.client.state()).isEqualTo(ConnectionState.CONNECTING);
    }

    @Test
    void subscribeSendsAnIdAndCompletesWhenTheHubAcknowledgesThatId() {
        FakeChannel channel = open();
        CompletableFuture<SubscriptionAck> subscribed = this.client.subscribe("prices");
        assertThat(channel.written).containsExactly(subscribe("fc:1", "prices"));
        deliver(channel, "{\"type\":\"__ack\",\"id\":\"fc:1\",\"payload\":{\"topic\":\"prices\"}}");
        assertThat(subscribed).isCompletedWithValue(
                new SubscriptionAck("prices", false, Recovery.NOT_REQUESTED, null));
    }

    @Test
    void anAckForAnotherIdCompletesNothing() {
        FakeChannel channel = open();
        CompletableFuture<SubscriptionAck> subscribed = this.client.subscribe("prices");
        deliver(channel, "{\"type\":\"__ack\",\"id\":\"fc:99\",\"payload\":{\"topic\":\"prices\"}}");
        deliver(channel, "{\"type\":\"__ack\",\"id\":\"1\",\"payload\":{\"topic\":\"prices\"}}");
        assertThat(subscribed).isNotDone();
    }

    @Test
    void subscribeFailsWithTheHubsErrorCodeAndTheTopicIsDropped() {
        FakeChannel channel = open();
        CompletableFuture<SubscriptionAck> subscribed = this.client.subscribe("user.42.inbox");
        deliver(channel, "{\"type\":\"__error\",\"id\":\"fc:1\",\"payload\":{\"topic\":\"user.42.inbox\","
                + "\"code\":\"forbidden\",\"message\":\"not yours\"}}");
        assertThat(subscribed).isCompletedExceptionally();
        HubErrorException error = (HubErrorException) subscribed.handle((ack, ex) -> ex.getCause()).join();
        assertThat(error.code()).isEqualTo("forbidden");
        assertThat(error.topic()).isEqualTo("user.42.inbox");
        assertThat(error.hubMessage()).isEqualTo("not yours");
        assertThat(this.client.subscriptions()).isEmpty();
        lose(channel, 1001);
        FakeChannel next = reconnect();
        assertThat(next.written).isEmpty();
    }

    @Test
    void subscribingTwiceSendsOnceAndReturnsTheSameOutcome() {
        FakeChannel channel = open();
        CompletableFuture<SubscriptionAck> first = this.client.subscribe("prices");
        CompletableFuture<SubscriptionAck> second = this.client.subscribe("prices");
        assertThat(channel.written).hasSize(1);
        deliver(channel, ack("fc:1", "prices"));
        assertThat(first.join()).isEqualTo(second.join());
    }

    @Test
    void subscribeWhileDisconnectedIsSentWhenTheConnectionOpens() {
        CompletableFuture<SubscriptionAck> subscribed = this.client.subscribe("prices");
        this.client.start();
        FakeChannel channel = this.transport.accept();
        this.scheduler.runDeliveries();
        assertThat(channel.written).containsExactly(subscribe("fc:1", "prices"));
        deliver(channel, ack("fc:1", "prices"));
        assertThat(subscribed.join().resubscription()).isFalse();
    }

    @Test
    void aSubscribeWithoutAnAnswerTimesOutButStaysSubscribed() {
        FakeChannel channel = open();
        CompletableFuture<SubscriptionAck> subscribed = this.client.subscribe("prices");
        this.scheduler.advance(ACK_TIMEOUT.minusMillis(1));
        assertThat(subscribed).isNotDone();
        this.scheduler.advance(Duration.ofMillis(1));
        assertThat(subscribed.handle((ack, ex) -> ex.getCause()).join()).isInstanceOf(AckTimeoutException.class);
        assertThat(this.client.subscriptions()).containsExactly("prices");
        lose(channel, 1001);
        assertThat(reconnect().written).containsExactly(subscribe("fc:2", "prices"));
    }

    @Test
    void unsubscribeCompletesWhenTheHubAcknowledgesAndTheTopicIsNotRestored() {
        FakeChannel channel = open();
        this.client.subscribe("prices");
        deliver(channel, ack("fc:1", "prices"));
        CompletableFuture<Void> unsubscribed = this.client.unsubscribe("prices");
        assertThat(channel.written).last()
            .isEqualTo("{\"type\":\"__unsubscribe\",\"id\":\"fc:2\",\"payload\":{\"topic\":\"prices\"}}");
        assertThat(unsubscribed).isNotDone();
        deliver(channel, ack("fc:2", "prices"));
        assertThat(unsubscribed).isCompleted();
        lose(channel, 1001);
        assertThat(reconnect().written).isEmpty();
    }

    @Test
    void unsubscribeWhileDisconnectedCompletesAtOnce() {
        this.client.subscribe("prices");
        assertThat(this.client.unsubscribe("prices")).isCompleted();
        assertThat(this.client.subscriptions()).isEmpty();
    }

    @Test
    void unsubscribeBeforeTheAckCancelsTheSubscribeAndItsLateReplyIsIgnored() {
        FakeChannel channel = open();
        CompletableFuture<SubscriptionAck> subscribed = this.client.subscribe("prices");
        List<Event> errors = new ArrayList<>();
        this.client.addEventListener("__error", errors::add);
        this.client.unsubscribe("prices");
        this.scheduler.runDeliveries();
        assertThat(subscribed.handle((ack, ex) -> ex.getCause()).join()).isInstanceOf(CancellationException.class);
        deliver(channel, "{\"type\":\"__error\",\"id\":\"fc:1\",\"payload\":{\"topic\":\"prices\",\"code\":\"cancelled\"}}");
        assertThat(errors).isEmpty();
    }

    @Test
    void theHubsEventsReachTheListenersOfTheirType() {
        FakeChannel channel = open();
        this.client.addEventListener("prices", this.received::add);
        deliver(channel, "{\"type\":\"prices\",\"id\":\"q1\",\"payload\":{\"price\":1.5}}");
        deliver(channel, "{\"type\":\"other\",\"payload\":1}");
        assertThat(this.received).singleElement().satisfies((event) -> {
            assertThat(event.id()).isEqualTo("q1");
            assertThat(event.payloadAs(Quote.class)).isEqualTo(new Quote(1.5));
        });
    }

    @Test
    void theNextMessageIsRequestedOnlyAfterTheListenersOfTheCurrentOneReturned() {
        FakeChannel channel = open();
        this.client.addEventListener("prices", (event) -> assertThat(channel.requested()).isZero());
        assertThat(channel.requested()).isOne();
        channel.receive("{\"type\":\"prices\",\"payload\":1}");
        assertThat(channel.requested()).isZero();
        this.scheduler.runDeliveries();
        assertThat(channel.requested()).isOne();
    }

    @Test
    void aThrowingListenerDoesNotStopTheOthersNorTheConnection() {
        FakeChannel channel = open();
        this.client.addEventListener("prices", (event) -> {
            throw new IllegalStateException("listener failure on purpose");
        });
        this.client.addEventListener("prices", this.received::add);
        deliver(channel, "{\"type\":\"prices\",\"payload\":1}");
        assertThat(this.received).hasSize(1);
        assertThat(channel.requested()).isOne();
        assertThat(this.client.state()).isEqualTo(ConnectionState.OPEN);
    }

    @Test
    void malformedMessagesFromTheHubAreIgnoredAndTheConnectionStaysOpen() {
        FakeChannel channel = open();
        this.client.addEventListener("prices", this.received::add);
        for (String garbage : List.of("not json", "[1,2]", "{\"type\":7}", "{\"type\":\"\"}", "{\"type\":\"prices\",\"id\":5}",
                "{\"type\":\"__ack\"}", "{\"type\":\"__error\",\"id\":\"fc:1\"}", "{\"type\":\"__surprise\"}", "{} trailing",
                "{\"type\":\"prices\"} {}")) {
            deliver(channel, garbage);
        }
        deliver(channel, "{\"type\":\"prices\",\"payload\":1}");
        assertThat(this.received).hasSize(1);
        assertThat(this.client.state()).isEqualTo(ConnectionState.OPEN);
    }

    @Test
    void anErrorReplyToAnEventOfTheAppReachesTheErrorListeners() {
        FakeChannel channel = open();
        List<Event> errors = new ArrayList<>();
        this.client.addEventListener("__error", errors::add);
        deliver(channel, "{\"type\":\"__error\",\"id\":\"msg-7\",\"payload\":{\"code\":\"too_long\",\"message\":\"max 200\"}}");
        assertThat(errors).singleElement().satisfies((error) -> {
            assertThat(error.id()).isEqualTo("msg-7");
            assertThat(error.payloadAs(ErrorPayload.class)).isEqualTo(new ErrorPayload("too_long", "max 200"));
        });
    }

    @Test
    void reconnectWaitsAnExponentialBackoffDelayWithFullJitter() {
        FakeChannel channel = open();
        lose(channel, 1001);
        List<Duration> delays = new ArrayList<>();
        for (int attempt = 1; attempt <= 6; attempt++) {
            ConnectionStateChange waiting = this.changes.get(this.changes.size() - 1);
            assertThat(waiting.current()).isEqualTo(ConnectionState.RECONNECTING);
            assertThat(waiting.attempt()).isEqualTo(attempt);
            delays.add(waiting.reconnectDelay());
            int attemptsBefore = this.transport.attemptCount();
            this.scheduler.advance(waiting.reconnectDelay().minusNanos(1));
            assertThat(this.transport.attemptCount()).isEqualTo(attemptsBefore);
            this.scheduler.advance(Duration.ofNanos(1));
            assertThat(this.transport.attemptCount()).isEqualTo(attemptsBefore + 1);
            this.transport.lastAttempt().refuse("connection refused");
            this.scheduler.runDeliveries();
        }
        assertThat(delays).containsExactly(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200),
                Duration.ofMillis(400), Duration.ofMillis(800), Duration.ofMillis(800));
    }

    @Test
    void theJitterSpansZeroToTheCap() {
        this.random.value = 0.0;
        FakeChannel channel = open();
        lose(channel, 1013);
        assertThat(lastChange().reconnectDelay()).isZero();
        this.scheduler.advance(Duration.ZERO);
        this.random.value = 0.999;
        this.transport.lastAttempt().refuse("refused");
        this.scheduler.runDeliveries();
        assertThat(lastChange().reconnectDelay()).isEqualTo(Duration.ofNanos((long) (0.999 * 200_000_000L)));
    }

    @Test
    void theAttemptsStartAgainAfterAConnectionStayedOpenForTheMaxDelay() {
        FakeChannel channel = open();
        lose(channel, 1001);
        channel = reconnect();
        lose(channel, 1001);
        assertThat(lastChange().attempt()).isEqualTo(2);
        channel = reconnect();
        this.scheduler.advance(MAX);
        lose(channel, 1001);
        assertThat(lastChange().attempt()).isOne();
    }

    @Test
    void everyCloseButTheClientsOwnIsFollowedByAReconnect() {
        FakeChannel channel = open();
        for (int code : new int[] { 1000, 1001, 1006, 1008, 1009, 1011, 1013, 4000 }) {
            lose(channel, code);
            assertThat(this.client.state()).isEqualTo(ConnectionState.RECONNECTING);
            assertThat(lastChange().closeCode()).isEqualTo(code);
            channel = reconnect();
        }
        this.client.close();
        this.scheduler.advance(MAX.multipliedBy(10));
        assertThat(this.client.state()).isEqualTo(ConnectionState.CLOSED);
        assertThat(channel.closes).containsExactly("1000 ");
    }

    @Test
    void aRefusedHandshakeIsRetriedWithBackoff() {
        this.client.start();
        this.transport.lastAttempt().refuse("handshake refused with HTTP 503");
        this.scheduler.runDeliveries();
        assertThat(lastChange().current()).isEqualTo(ConnectionState.RECONNECTING);
        assertThat(lastChange().closeCode()).isEqualTo(1006);
        assertThat(lastChange().closeReason()).contains("HTTP 503");
        this.scheduler.advance(lastChange().reconnectDelay());
        assertThat(this.transport.attemptCount()).isEqualTo(2);
    }

    @Test
    void stateListenersSeeEveryTransitionInOrder() {
        FakeChannel channel = open();
        lose(channel, 1013);
        reconnect();
        this.client.close();
        this.scheduler.runDeliveries();
        assertThat(this.changes).extracting(ConnectionStateChange::current)
            .containsExactly(ConnectionState.CONNECTING, ConnectionState.OPEN, ConnectionState.RECONNECTING,
                    ConnectionState.CONNECTING, ConnectionState.OPEN, ConnectionState.CLOSED);
        assertThat(this.changes).extracting(ConnectionStateChange::previous)
            .containsExactly(ConnectionState.NEW, ConnectionState.CONNECTING, ConnectionState.OPEN,
                    ConnectionState.RECONNECTING, ConnectionState.CONNECTING, ConnectionState.OPEN);
    }

    @Test
    void everySubscriptionIsRestoredAfterAReconnectAndTheListenersAreTold() {
        FakeChannel channel = open();
        this.client.subscribe("a");
        this.client.subscribe("b");
        deliver(channel, ack("fc:1", "a"));
        deliver(channel, ack("fc:2", "b"));
        lose(channel, 1001);
        FakeChannel next = reconnect();
        assertThat(next.written).containsExactly(subscribe("fc:3", "a"), subscribe("fc:4", "b"));
        deliver(next, ack("fc:3", "a"));
        deliver(next, ack("fc:4", "b"));
        assertThat(this.subscriptionOutcomes).containsExactly(
                new SubscriptionAck("a", true, Recovery.NOT_REQUESTED, null),
                new SubscriptionAck("b", true, Recovery.NOT_REQUESTED, null));
        assertThat(((SubscriptionAck) this.subscriptionOutcomes.get(0)).mayHaveMissedEvents()).isTrue();
    }

    @Test
    void aSubscribePendingAcrossAReconnectIsCompletedByTheAckOnTheNewConnection() {
        FakeChannel channel = open();
        CompletableFuture<SubscriptionAck> subscribed = this.client.subscribe("a");
        lose(channel, 1006);
        FakeChannel next = reconnect();
        deliver(next, ack("fc:2", "a"));
        assertThat(subscribed.join().resubscription()).isFalse();
        assertThat(this.subscriptionOutcomes).isEmpty();
    }

    @Test
    void aRefusedResubscriptionIsReportedAndTheTopicDropped() {
        FakeChannel channel = open();
        this.client.subscribe("user.42.inbox");
        deliver(channel, ack("fc:1", "user.42.inbox"));
        lose(channel, 1001);
        FakeChannel next = reconnect();
        deliver(next, "{\"type\":\"__error\",\"id\":\"fc:2\",\"payload\":{\"topic\":\"user.42.inbox\",\"code\":\"forbidden\"}}");
        assertThat(this.subscriptionOutcomes).singleElement()
            .isInstanceOfSatisfying(HubErrorException.class, (error) -> assertThat(error.code()).isEqualTo("forbidden"));
        assertThat(this.client.subscriptions()).isEmpty();
    }

    @Test
    void theClientTracksTheLastOffsetPerTopicAndResubscribesSinceIt() {
        FakeChannel channel = open();
        this.client.subscribe("chat");
        this.client.subscribe("prices");
        deliver(channel, "{\"type\":\"__ack\",\"id\":\"fc:1\",\"payload\":{\"topic\":\"chat\",\"epoch\":\"e1\",\"offset\":40}}");
        deliver(channel, ack("fc:2", "prices"));
        deliver(channel, "{\"type\":\"chat\",\"payload\":\"hi\",\"offset\":41}");
        deliver(channel, "{\"type\":\"prices\",\"payload\":1}");
        assertThat(this.client.position("chat")).contains(new StreamPosition("e1", 41));
        assertThat(this.client.position("prices")).isEmpty();
        lose(channel, 1013);
        FakeChannel next = reconnect();
        assertThat(next.written).containsExactly(
                "{\"type\":\"__subscribe\",\"id\":\"fc:3\",\"payload\":{\"topic\":\"chat\",\"since\":{\"epoch\":\"e1\",\"offset\":41}}}",
                subscribe("fc:4", "prices"));
    }

    @Test
    void aSubscribeAskingForTheLatestEventSaysSoOnTheFirstSubscribeAndOnEveryResubscription() {
        this.client.addEventListener("prices.ACME", this.received::add);
        FakeChannel channel = open();
        this.client.subscribe("prices.ACME", SubscribeOptions.latestEvent());
        this.client.subscribe("prices.ACME");
        this.client.subscribe("chat");
        assertThat(channel.written).containsExactly(
                "{\"type\":\"__subscribe\",\"id\":\"fc:1\",\"payload\":{\"topic\":\"prices.ACME\",\"latest\":true}}",
                subscribe("fc:2", "chat"));
        deliver(channel, "{\"type\":\"__ack\",\"id\":\"fc:1\",\"payload\":{\"topic\":\"prices.ACME\",\"epoch\":\"e1\",\"offset\":7}}");
        deliver(channel, "{\"type\":\"prices.ACME\",\"payload\":{\"price\":12.5},\"offset\":7}");
        deliver(channel, ack("fc:2", "chat"));
        assertThat(this.received).extracting(Event::type).containsExactly("prices.ACME");
        lose(channel, 1001);
        FakeChannel next = reconnect();
        assertThat(next.written).containsExactly(
                "{\"type\":\"__subscribe\",\"id\":\"fc:3\",\"payload\":{\"topic\":\"prices.ACME\","
                        + "\"since\":{\"epoch\":\"e1\",\"offset\":7},\"latest\":true}}",
                subscribe("fc:4", "chat"));
    }

    @Test
    void subscribeOptionsAreRequired() {
        assertThatNullPointerException().isThrownBy(() -> this.client.subscribe("prices.ACME", null));
        assertThat(this.client.subscriptions()).isEmpty();
    }

    @Test
    void aTopicSubscribedAgainAfterItsRefusalTakesTheNewOptions() {
        FakeChannel channel = open();
        this.client.subscribe("prices.ACME", SubscribeOptions.latestEvent());
        deliver(channel, "{\"type\":\"__error\",\"id\":\"fc:1\",\"payload\":{\"topic\":\"prices.ACME\","
                + "\"code\":\"forbidden\",\"message\":\"no\"}}");
        this.client.subscribe("prices.ACME", SubscribeOptions.ofDefaults());
        assertThat(channel.written).last().isEqualTo(subscribe("fc:2", "prices.ACME"));
    }

    @Test
    void aResubscriptionTheHubRecoveredIsReportedAsRecovered() {
        FakeChannel next = reconnectedAfterOffset41();
        deliver(next, "{\"type\":\"__ack\",\"id\":\"fc:2\",\"payload\":{\"topic\":\"chat\",\"epoch\":\"e1\",\"offset\":45,\"recovered\":true}}");
        SubscriptionAck ack = (SubscriptionAck) this.subscriptionOutcomes.get(0);
        assertThat(ack.recovery()).isEqualTo(Recovery.RECOVERED);
        assertThat(ack.mayHaveMissedEvents()).isFalse();
        assertThat(ack.position()).isEqualTo(new StreamPosition("e1", 41));
        deliver(next, "{\"type\":\"chat\",\"payload\":\"missed\",\"offset\":42}");
        assertThat(this.client.position("chat")).contains(new StreamPosition("e1", 42));
    }

    @Test
    void aResubscriptionTheHubCouldNotRecoverIsReportedAsNotRecovered() {
        FakeChannel next = reconnectedAfterOffset41();
        deliver(next, "{\"type\":\"__ack\",\"id\":\"fc:2\",\"payload\":{\"topic\":\"chat\",\"epoch\":\"e2\",\"offset\":3,\"recovered\":false}}");
        SubscriptionAck ack = (SubscriptionAck) this.subscriptionOutcomes.get(0);
        assertThat(ack.recovery()).isEqualTo(Recovery.NOT_RECOVERED);
        assertThat(ack.mayHaveMissedEvents()).isTrue();
        assertThat(this.client.position("chat")).contains(new StreamPosition("e2", 3));
    }

    @Test
    void aHubThatIgnoresTheRecoveryRequestCountsAsNotRecovered() {
        FakeChannel next = reconnectedAfterOffset41();
        deliver(next, ack("fc:2", "chat"));
        assertThat(((SubscriptionAck) this.subscriptionOutcomes.get(0)).recovery()).isEqualTo(Recovery.NOT_RECOVERED);
    }

    @Test
    void eventsQueuedWhileDisconnectedAreWrittenInOrderAfterTheResubscriptions() {
        FakeChannel channel = open();
        this.client.subscribe("a");
        deliver(channel, ack("fc:1", "a"));
        lose(channel, 1006);
        this.client.dispatchEvent(Event.of("chat", "one"));
        this.client.dispatchEvent(Event.of("chat", "m2", "two"));
        assertThat(this.client.queuedEventCount()).isEqualTo(2);
        FakeChannel next = reconnect();
        assertThat(next.written).containsExactly(subscribe("fc:2", "a"), "{\"type\":\"chat\",\"payload\":\"one\"}",
                "{\"type\":\"chat\",\"id\":\"m2\",\"payload\":\"two\"}");
        assertThat(this.client.queuedEventCount()).isZero();
    }

    @Test
    void beyondTheQueueLimitEventsAreRejectedAndCounted() {
        this.client.start();
        for (int i = 0; i < 3; i++) {
            assertThat(this.client.dispatchEvent(Event.of("chat", i))).isTrue();
        }
        assertThat(this.client.dispatchEvent(Event.of("chat", 3))).isFalse();
        assertThat(this.client.dispatchEvent(Event.of("chat", 4))).isFalse();
        assertThat(this.client.rejectedEventCount()).isEqualTo(2);
        FakeChannel channel = this.transport.accept();
        this.scheduler.runDeliveries();
        assertThat(channel.written).containsExactly("{\"type\":\"chat\",\"payload\":0}",
                "{\"type\":\"chat\",\"payload\":1}", "{\"type\":\"chat\",\"payload\":2}");
    }

    @Test
    void onlyOneWriteIsInFlightAndWritesKeepTheirOrder() {
        FakeChannel channel = open();
        channel.holdWrites();
        for (int i = 0; i < 3; i++) {
            this.client.dispatchEvent(Event.of("chat", i));
        }
        assertThat(channel.written).hasSize(1);
        channel.completeWrite();
        channel.completeWrite();
        channel.completeWrite();
        assertThat(channel.maxInFlight()).isOne();
        assertThat(channel.written).containsExactly("{\"type\":\"chat\",\"payload\":0}",
                "{\"type\":\"chat\",\"payload\":1}", "{\"type\":\"chat\",\"payload\":2}");
    }

    @Test
    void afterA1009TheMessageBeingWrittenIsNotResentButTheQueuedOnesAre() {
        FakeChannel channel = open();
        channel.holdWrites();
        this.client.dispatchEvent(Event.of("upload", "x".repeat(1000)));
        this.client.dispatchEvent(Event.of("chat", "after"));
        lose(channel, 1009);
        channel.failWrite();
        FakeChannel next = reconnect();
        assertThat(next.written).containsExactly("{\"type\":\"chat\",\"payload\":\"after\"}");
    }

    @Test
    void aFailedWriteDropsTheConnectionAndIsNotWrittenAgain() {
        FakeChannel channel = open();
        channel.holdWrites();
        this.client.dispatchEvent(Event.of("chat", "lost in transit"));
        this.client.dispatchEvent(Event.of("chat", "queued"));
        channel.failWrite();
        this.scheduler.runDeliveries();
        assertThat(this.client.state()).isEqualTo(ConnectionState.RECONNECTING);
        assertThat(reconnect().written).containsExactly("{\"type\":\"chat\",\"payload\":\"queued\"}");
    }

    @Test
    void closeIsFinalFailsWhatIsPendingAndReleasesTheThreads() {
        FakeChannel channel = open();
        CompletableFuture<SubscriptionAck> subscribed = this.client.subscribe("a");
        this.client.dispatchEvent(Event.of("chat", 1));
        lose(channel, 1006);
        this.client.close();
        this.client.close();
        this.scheduler.runDeliveries();
        assertThat(subscribed.handle((ack, ex) -> ex.getCause()).join()).isInstanceOf(ClientClosedException.class);
        assertThat(this.client.state()).isEqualTo(ConnectionState.CLOSED);
        assertThat(this.client.dispatchEvent(Event.of("chat", 2))).isFalse();
        assertThat(this.client.subscribe("b")).isCompletedExceptionally();
        assertThat(this.client.queuedEventCount()).isZero();
        assertThat(this.released).isTrue();
        this.scheduler.advance(MAX.multipliedBy(10));
        assertThat(this.transport.attemptCount()).isOne();
    }

    @Test
    void anAttemptThatOpensAfterCloseIsClosedAtOnce() {
        this.client.start();
        this.client.close();
        FakeChannel late = this.transport.accept();
        this.scheduler.runDeliveries();
        assertThat(late.closes).containsExactly("1000 ");
        assertThat(late.written).isEmpty();
        assertThat(this.client.state()).isEqualTo(ConnectionState.CLOSED);
    }

    @Test
    void invalidTopicsAndEventTypesAreRejectedAtOnceWhileLettersOfEveryScriptAreTopics() {
        for (String invalid : List.of("", "__subscribe", "has space", "tab\t", "line\nbreak", "nbsp\u00a0",
                "zero\u200bwidth", "lone\ud800surrogate", "\udc00")) {
            assertThatIllegalArgumentException().isThrownBy(() -> this.client.subscribe(invalid));
            assertThatIllegalArgumentException().isThrownBy(() -> this.client.unsubscribe(invalid));
        }
        assertThatIllegalArgumentException().isThrownBy(() -> this.client.dispatchEvent(Event.of("__subscribe")));
        assertThat(this.client.subscribe("prices.\u6771\u4eac.\ud83d\ude80")).isNotDone();
        assertThatIllegalArgumentException()
            .isThrownBy(() -> this.client.dispatchEvent(Event.of("chat", new Unserializable())));
    }

    private FakeChannel reconnectedAfterOffset41() {
        FakeChannel channel = open();
        this.client.subscribe("chat");
        deliver(channel, "{\"type\":\"__ack\",\"id\":\"fc:1\",\"payload\":{\"topic\":\"chat\",\"epoch\":\"e1\",\"offset\":40}}");
        deliver(channel, "{\"type\":\"chat\",\"payload\":\"hi\",\"offset\":41}");
        lose(channel, 1013);
        return reconnect();
    }

    private FakeChannel open() {
        this.client.start();
        FakeChannel channel = this.transport.accept();
        this.scheduler.runDeliveries();
        assertThat(this.client.state()).isEqualTo(ConnectionState.OPEN);
        return channel;
    }

    private void lose(FakeChannel channel, int code) {
        channel.closeByHub(code, "by the hub");
        this.scheduler.runDeliveries();
    }

    private FakeChannel reconnect() {
        this.scheduler.advance(lastChange().reconnectDelay());
        FakeChannel channel = this.transport.accept();
        this.scheduler.runDeliveries();
        assertThat(this.client.state()).isEqualTo(ConnectionState.OPEN);
        return channel;
    }

    private void deliver(FakeChannel channel, String message) {
        channel.receive(message);
        this.scheduler.runDeliveries();
    }

    private ConnectionStateChange lastChange() {
        this.scheduler.runDeliveries();
        return this.changes.get(this.changes.size() - 1);
    }

    private static String subscribe(String id, String topic) {
        return "{\"type\":\"__subscribe\",\"id\":\"" + id + "\",\"payload\":{\"topic\":\"" + topic + "\"}}";
    }

    private static String ack(String id, String topic) {
        return "{\"type\":\"__ack\",\"id\":\"" + id + "\",\"payload\":{\"topic\":\"" + topic + "\"}}";
    }

    record Quote(double price) {
    }

    static final class Unserializable {

        public String getValue() {
            throw new IllegalStateException("cannot be serialized on purpose");
        }
    }

    record ErrorPayload(String code, String message) {
    }

    /** A random source that always returns the same fraction. */
    static final class FixedRandom implements RandomGenerator {

        double value;

        FixedRandom(double value) {
            this.value = value;
        }

        @Override
        public long nextLong() {
            return (long) (this.value * Long.MAX_VALUE);
        }

        @Override
        public double nextDouble() {
            return this.value;
        }
    }
}
