package dev.fanout.client.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import dev.fanout.client.AckTimeoutException;
import dev.fanout.client.ClientClosedException;
import dev.fanout.client.HubErrorException;
import dev.fanout.client.Recovery;
import dev.fanout.client.StreamPosition;
import dev.fanout.client.SubscriptionAck;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What each reply means for the requests the client waits on, with a hand-driven clock; the returned callbacks are
 * run here as the delivery thread would run them.
 */
class AckTrackerTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final ManualScheduler scheduler = new ManualScheduler();

    private final SubscriptionRegistry subscriptions = new SubscriptionRegistry();

    private final ClientListeners listeners = new ClientListeners(
            new RateLimitedLog(LoggerFactory.getLogger(AckTrackerTests.class), Duration.ofSeconds(1),
                    System::nanoTime));

    private final SubscriptionOutcomes heard = new SubscriptionOutcomes();

    private final List<Object> outcomes = this.heard.heard;

    private final FrameCodec codec = new FrameCodec(JsonMapper.builder().build());

    private AckTracker tracker;

    @BeforeEach
    void createTracker() {
        this.tracker = new AckTracker(this.subscriptions, this.listeners, this.scheduler, TIMEOUT,
                (id) -> this.tracker.timedOut(id).run());
        this.listeners.addSubscriptionListener(this.heard);
    }

    @Test
    void anAckCompletesTheSubscribeOfItsIdWithTheTopicsPosition() {
        SubscriptionRegistry.Topic chat = this.subscriptions.add("chat");
        PendingRequest request = this.tracker.trackSubscribe(chat);

        this.tracker.acknowledged(new InboundFrame.Ack(request.id, "e1", 40L, null)).run();

        assertThat(chat.subscribed).isCompletedWithValue(
                new SubscriptionAck("chat", false, Recovery.NOT_REQUESTED, new StreamPosition("e1", 40)));
        assertThat(chat.pendingId).isNull();
    }

    @Test
    void aReplyToAnIdTheClientDoesNotWaitForChangesNothing() {
        SubscriptionRegistry.Topic chat = this.subscriptions.add("chat");
        PendingRequest request = this.tracker.trackSubscribe(chat);

        this.tracker.acknowledged(new InboundFrame.Ack("fc:99", null, null, null)).run();
        this.tracker.refused(error("fc:98", "forbidden")).run();

        assertThat(chat.subscribed).isNotDone();
        assertThat(chat.pendingId).isEqualTo(request.id);
        this.tracker.acknowledged(new InboundFrame.Ack(request.id, null, null, null)).run();
        this.tracker.refused(error(request.id, "forbidden")).run();
        assertThat(chat.subscribed).isCompleted().isNotCompletedExceptionally();
        assertThat(this.subscriptions.names()).containsExactly("chat");
    }

    @Test
    void anErrorFailsTheSubscribeWithTheHubsCodeAndDropsTheTopic() {
        SubscriptionRegistry.Topic inbox = this.subscriptions.add("user.bob.inbox");
        PendingRequest request = this.tracker.trackSubscribe(inbox);

        this.tracker.refused(error(request.id, "forbidden")).run();

        assertThat(inbox.subscribed).isCompletedExceptionally();
        assertThat(failureOf(inbox.subscribed)).isInstanceOfSatisfying(HubErrorException.class,
                (refusal) -> assertThat(refusal.code()).isEqualTo("forbidden"));
        assertThat(this.subscriptions.names()).isEmpty();
    }

    @Test
    void theRepliesToAResubscriptionGoToTheSubscriptionListenersWithTheirRecovery() {
        SubscriptionRegistry.Topic chat = acknowledged("chat", new StreamPosition("e1", 41));
        SubscriptionRegistry.Topic inbox = acknowledged("user.bob.inbox", null);
        PendingRequest chatAgain = this.tracker.trackSubscribe(chat);
        PendingRequest inboxAgain = this.tracker.trackSubscribe(inbox);
        assertThat(chatAgain.resubscription).isTrue();
        assertThat(chatAgain.since).isEqualTo(new StreamPosition("e1", 41));

        this.tracker.acknowledged(new InboundFrame.Ack(chatAgain.id, "e1", 45L, true)).run();
        this.tracker.refused(error(inboxAgain.id, "forbidden")).run();

        assertThat(this.outcomes).hasSize(2);
        assertThat(this.outcomes.get(0)).isEqualTo(
                new SubscriptionAck("chat", true, Recovery.RECOVERED, new StreamPosition("e1", 41)));
        assertThat(this.outcomes.get(1)).isInstanceOf(HubErrorException.class);
        assertThat(this.subscriptions.names()).containsExactly("chat");
    }

    @Test
    void noReplyWithinTheTimeoutFailsTheSubscribeButKeepsTheTopicAndALateReplyIsIgnored() {
        SubscriptionRegistry.Topic chat = this.subscriptions.add("chat");
        PendingRequest request = this.tracker.trackSubscribe(chat);

        this.scheduler.advance(TIMEOUT);

        assertThat(failureOf(chat.subscribed)).isInstanceOf(AckTimeoutException.class);
        assertThat(this.subscriptions.names()).containsExactly("chat");
        assertThat(chat.pendingId).isNull();
        this.tracker.refused(error(request.id, "forbidden")).run();
        assertThat(this.subscriptions.names()).containsExactly("chat");
    }

    @Test
    void anAnsweredRequestNoLongerTimesOut() {
        SubscriptionRegistry.Topic chat = this.subscriptions.add("chat");
        PendingRequest request = this.tracker.trackSubscribe(chat);
        this.tracker.acknowledged(new InboundFrame.Ack(request.id, null, null, null)).run();

        this.scheduler.advance(TIMEOUT.multipliedBy(2));

        assertThat(chat.subscribed).isCompleted().isNotCompletedExceptionally();
    }

    @Test
    void anUnsubscribeCompletesOnItsAckAndFailsOnItsError() {
        PendingRequest first = this.tracker.trackUnsubscribe("chat");
        PendingRequest second = this.tracker.trackUnsubscribe("news");

        this.tracker.acknowledged(new InboundFrame.Ack(first.id, null, null, null)).run();
        this.tracker.refused(error(second.id, "rate_limited")).run();

        assertThat(first.unsubscribed).isCompleted().isNotCompletedExceptionally();
        assertThat(failureOf(second.unsubscribed)).isInstanceOf(HubErrorException.class);
    }

    @Test
    void unsubscribingCancelsAPendingSubscribeAndItsLateAckIsIgnored() {
        SubscriptionRegistry.Topic chat = this.subscriptions.add("chat");
        PendingRequest request = this.tracker.trackSubscribe(chat);

        this.tracker.unsubscribed("chat").run();
        this.tracker.acknowledged(new InboundFrame.Ack(request.id, null, null, null)).run();

        assertThat(failureOf(chat.subscribed)).isInstanceOf(CancellationException.class);
        assertThat(this.subscriptions.names()).isEmpty();
        assertThat(this.outcomes).isEmpty();
    }

    @Test
    void aLostConnectionCompletesPendingUnsubscribesAndForgetsPendingSubscribes() {
        SubscriptionRegistry.Topic chat = this.subscriptions.add("chat");
        PendingRequest subscribe = this.tracker.trackSubscribe(chat);
        PendingRequest unsubscribe = this.tracker.trackUnsubscribe("news");

        this.tracker.connectionLost().run();
        this.scheduler.advance(TIMEOUT);
        this.tracker.acknowledged(new InboundFrame.Ack(subscribe.id, null, null, null)).run();

        assertThat(unsubscribe.unsubscribed).isCompleted().isNotCompletedExceptionally();
        assertThat(chat.subscribed).as("waits for the next connection").isNotDone();
        assertThat(chat.pendingId).isNull();
        assertThat(this.subscriptions.names()).containsExactly("chat");
    }

    @Test
    void closingFailsEveryPendingRequestAndSubscribeWithClientClosedAndForgetsTheTopics() {
        SubscriptionRegistry.Topic chat = this.subscriptions.add("chat");
        this.tracker.trackSubscribe(chat);
        PendingRequest unsubscribe = this.tracker.trackUnsubscribe("news");

        this.tracker.closed().run();

        assertThat(failureOf(chat.subscribed)).isInstanceOf(ClientClosedException.class);
        assertThat(failureOf(unsubscribe.unsubscribed)).isInstanceOf(ClientClosedException.class);
        assertThat(this.subscriptions.names()).isEmpty();
    }

    @Test
    void onlyIdsWithTheClientsPrefixAreItsRequests() {
        assertThat(AckTracker.isRequestId(this.tracker.trackUnsubscribe("chat").id)).isTrue();
        assertThat(AckTracker.isRequestId("c1")).isFalse();
        assertThat(AckTracker.isRequestId(null)).isFalse();
    }

    private SubscriptionRegistry.Topic acknowledged(String name, StreamPosition position) {
        SubscriptionRegistry.Topic topic = this.subscriptions.add(name);
        PendingRequest request = this.tracker.trackSubscribe(topic);
        this.tracker.acknowledged(new InboundFrame.Ack(request.id, null, null, null)).run();
        topic.position = position;
        return topic;
    }

    private static Throwable failureOf(CompletableFuture<?> failed) {
        assertThat(failed).isCompletedExceptionally();
        return failed.handle((ignored, error) -> error).join();
    }

    private InboundFrame.ErrorReply error(String id, String code) {
        return (InboundFrame.ErrorReply) this.codec
            .decode("{\"type\":\"__error\",\"id\":\"" + id + "\",\"payload\":{\"code\":\"" + code + "\"}}");
    }
}
