package dev.fanout.redis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The subscription bookkeeping across connections, with a fake hub, recorded commands and a virtual clock: the
 * delayed re-check of the last unsubscribe, and the resubscription from the hub's registry.
 */
class SubscriptionsTests {

    private static final Duration DELAY = Duration.ofSeconds(1);

    private final ManualScheduler control = new ManualScheduler();

    private final FakeHub hub = new FakeHub();

    private final RecordingCommands commands = new RecordingCommands();

    private final Subscriptions subscriptions = new Subscriptions(new ChannelNames("fanout"), 2, DELAY, this.control);

    private SubscriptionSession session;

    @BeforeEach
    void openASession() {
        this.subscriptions.attach(this.hub);
        this.session = this.subscriptions.open(this.commands);
    }

    @Test
    void theLastLocalSubscriberLeavingUnsubscribesOnlyOnceTheDelayHasPassedAndTheHubStillHasNone() {
        subscribed("news");

        this.hub.localTopics.remove("news");
        this.subscriptions.unsubscribe("news");
        this.control.advance(DELAY.minusNanos(1));
        assertThat(this.commands.sent).containsExactly("SUBSCRIBE fanout.t.news");
        this.control.advance(Duration.ofNanos(1));

        assertThat(this.commands.sent).containsExactly("SUBSCRIBE fanout.t.news", "UNSUBSCRIBE fanout.t.news");
        assertThat(this.subscriptions.confirmedTopics()).isZero();
        assertThat(this.subscriptions.delayedChecksRun()).isEqualTo(1);
    }

    @Test
    void aTopicThatRegainedALocalSubscriberWithinTheDelayStaysSubscribedAndCostsNoCommand() {
        subscribed("news");
        this.hub.localTopics.remove("news");
        this.subscriptions.unsubscribe("news");

        this.hub.localTopics.add("news");
        CompletionStage<Void> again = this.subscriptions.subscribe("news");
        this.control.advance(DELAY);

        assertThat(again.toCompletableFuture()).isCompleted();
        assertThat(this.commands.sent).containsExactly("SUBSCRIBE fanout.t.news");
        assertThat(this.subscriptions.confirmedTopics()).isEqualTo(1);
        assertThat(this.subscriptions.delayedChecksRun()).isEqualTo(1);
    }

    @Test
    void unsubscribesWhileACheckIsPendingScheduleNoSecondCheck() {
        subscribed("news");
        this.hub.localTopics.remove("news");

        this.subscriptions.unsubscribe("news");
        this.subscriptions.unsubscribe("news");
        this.subscriptions.unsubscribe("news");

        assertThat(this.control.scheduledDelays()).containsExactly(DELAY);
        this.control.advance(DELAY);
        assertThat(this.commands.sent).containsOnlyOnce("UNSUBSCRIBE fanout.t.news");
        this.subscriptions.unsubscribe("news");
        assertThat(this.control.scheduledDelays()).containsExactly(DELAY, DELAY);
    }

    @Test
    void theCheckCounterCountsEveryCheckThatRanWhetherItUnsubscribedOrNot() {
        subscribed("kept");
        subscribed("dropped");
        this.hub.localTopics.remove("dropped");

        this.subscriptions.unsubscribe("kept");
        this.subscriptions.unsubscribe("dropped");
        this.subscriptions.unsubscribe("never-subscribed");
        assertThat(this.subscriptions.delayedChecksRun()).isZero();
        this.control.advance(DELAY);

        assertThat(this.subscriptions.delayedChecksRun()).isEqualTo(3);
        assertThat(this.commands.sent).filteredOn((command) -> command.startsWith("UNSUBSCRIBE"))
            .containsExactly("UNSUBSCRIBE fanout.t.dropped");
    }

    @Test
    void aSubscribeForATopicTheHubNoLongerHasSchedulesTheCheckThatLetsItGo() {
        CompletionStage<Void> confirmation = this.subscriptions.subscribe("gone");
        this.control.runDue();

        this.control.advance(DELAY);

        assertThat(confirmation.toCompletableFuture()).isCompleted();
        assertThat(this.commands.sent).containsExactly("SUBSCRIBE fanout.t.gone", "UNSUBSCRIBE fanout.t.gone");
    }

    @Test
    void whileNoSessionIsLiveASubscribeIsConfirmedAtOnceAndSendsNothing() {
        this.subscriptions.end();
        this.hub.localTopics.add("news");

        CompletionStage<Void> confirmation = this.subscriptions.subscribe("news");
        this.control.runDue();

        assertThat(confirmation.toCompletableFuture()).isCompleted();
        assertThat(this.commands.sent).isEmpty();
    }

    @Test
    void endingTheSessionCompletesItsOpenConfirmationsAndACheckDueAfterwardsSendsNothing() {
        this.hub.localTopics.add("news");
        CompletionStage<Void> unconfirmed = this.subscriptions.subscribe("news");
        this.control.runDue();
        this.hub.localTopics.remove("news");
        this.subscriptions.unsubscribe("news");

        this.subscriptions.end();
        this.control.advance(DELAY);

        assertThat(unconfirmed.toCompletableFuture()).isCompleted();
        assertThat(this.commands.sent).containsExactly("SUBSCRIBE fanout.t.news");
        assertThat(this.subscriptions.confirmedTopics()).isZero();
    }

    @Test
    void aNewSessionSubscribesInBatchesToExactlyTheTopicsTheHubHoldsNowNotThoseOfTheLostOne() {
        subscribed("old-1");
        subscribed("old-2");
        this.subscriptions.end();
        this.hub.localTopics.clear();
        this.hub.localTopics.addAll(List.of("a", "b", "c", "old-2"));
        RecordingCommands next = new RecordingCommands();

        SubscriptionSession fresh = this.subscriptions.open(next);
        int asked = this.subscriptions.resubscribe();
        this.control.runDue();

        assertThat(asked).isEqualTo(4);
        assertThat(next.sent).hasSize(2).allMatch((command) -> command.startsWith("SUBSCRIBE "));
        assertThat(String.join(" ", next.sent).replace("SUBSCRIBE ", "").split(" "))
            .containsExactlyInAnyOrder("fanout.t.a", "fanout.t.b", "fanout.t.c", "fanout.t.old-2");
        assertThat(fresh.confirmedTopics()).isZero();
    }

    @Test
    void afterCloseAnUnsubscribeSchedulesNothing() {
        subscribed("news");

        this.subscriptions.close();
        this.subscriptions.unsubscribe("news");

        assertThat(this.control.pending()).isZero();
    }

    /** Subscribes the topic as the hub would and lets Redis confirm it. */
    private void subscribed(String topic) {
        this.hub.localTopics.add(topic);
        CompletionStage<Void> confirmation = this.subscriptions.subscribe(topic);
        this.control.runDue();
        this.session.confirmed(topic);
        assertThat(confirmation.toCompletableFuture()).isCompleted();
    }
}
