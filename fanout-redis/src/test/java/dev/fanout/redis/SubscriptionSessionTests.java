package dev.fanout.redis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One connection's subscriptions with recorded commands and a control thread the test runs by hand, so that each
 * interleaving is exactly the one set up.
 */
class SubscriptionSessionTests {

    private final ManualScheduler control = new ManualScheduler();

    private final RecordingCommands commands = new RecordingCommands();

    private final FakeHub hub = new FakeHub();

    private final ChannelNames channels = new ChannelNames("fanout");

    @Test
    void topicsRequestedTogetherGoOutInSubscribeCommandsOfAtMostTheBatchSize() {
        SubscriptionSession session = new SubscriptionSession(this.commands, this.channels, 2, this.control);

        List.of("a", "b", "c", "d", "e").forEach(session::subscribe);
        this.control.runDue();

        assertThat(this.commands.sent).containsExactly("SUBSCRIBE fanout.t.a fanout.t.b",
                "SUBSCRIBE fanout.t.c fanout.t.d", "SUBSCRIBE fanout.t.e");
    }

    @Test
    void aSecondRequestForATopicSendsNoSecondSubscribeAndSharesTheConfirmation() {
        SubscriptionSession session = new SubscriptionSession(this.commands, this.channels, 10, this.control);

        CompletionStage<Void> first = session.subscribe("news");
        CompletionStage<Void> second = session.subscribe("news");
        this.control.runDue();
        session.confirmed("news");

        assertThat(second).isSameAs(first);
        assertThat(first.toCompletableFuture()).isCompleted();
        assertThat(this.commands.sent).containsExactly("SUBSCRIBE fanout.t.news");
        assertThat(session.confirmedTopics()).isEqualTo(1);
    }

    @Test
    void aTopicSubscribedAgainBeforeTheFirstReplyIsConfirmedOnlyByTheReplyToTheLastSubscribe() {
        SubscriptionSession session = new SubscriptionSession(this.commands, this.channels, 10, this.control);
        session.subscribe("news");
        this.control.runDue();
        assertThat(session.unsubscribeIfUnneeded("news", this.hub)).isTrue();

        CompletionStage<Void> again = session.subscribe("news");
        this.control.runDue();
        session.confirmed("news");
        assertThat(again.toCompletableFuture()).isNotDone();
        session.confirmed("news");

        assertThat(again.toCompletableFuture()).isCompleted();
        assertThat(this.commands.sent).containsExactly("SUBSCRIBE fanout.t.news", "UNSUBSCRIBE fanout.t.news",
                "SUBSCRIBE fanout.t.news");
    }

    @Test
    void theUnsubscribeDecisionKeepsATopicTheHubHasALocalSubscriberForAndSendsNothing() {
        SubscriptionSession session = new SubscriptionSession(this.commands, this.channels, 10, this.control);
        session.subscribe("news");
        this.control.runDue();
        this.hub.localTopics.add("news");

        assertThat(session.unsubscribeIfUnneeded("news", this.hub)).isFalse();
        assertThat(session.unsubscribeIfUnneeded("never-requested", this.hub)).isFalse();
        assertThat(this.commands.sent).containsExactly("SUBSCRIBE fanout.t.news");
    }

    @Test
    void aTopicRequestedWhileAFlushDrainsTheQueueIsStillSubscribed() {
        InterleavingQueue queue = new InterleavingQueue();
        SubscriptionSession session = new SubscriptionSession(this.commands, this.channels, 10, this.control, queue);
        session.subscribe("first");
        queue.afterNextAdd = this.control::runDue;

        CompletionStage<Void> raced = session.subscribe("raced");
        this.control.runDue();
        session.confirmed("first");
        session.confirmed("raced");

        assertThat(queue.interleaved).as("the flush ran right after the topic was queued").isTrue();
        assertThat(String.join(" ", this.commands.sent)).contains("fanout.t.raced");
        assertThat(raced.toCompletableFuture()).isCompleted();
    }

    @Test
    void endingTheSessionCompletesItsOpenConfirmationsAndLaterRequestsAtOnce() {
        SubscriptionSession session = new SubscriptionSession(this.commands, this.channels, 10, this.control);
        CompletionStage<Void> open = session.subscribe("news");

        session.end();
        CompletionStage<Void> later = session.subscribe("sport");

        assertThat(open.toCompletableFuture()).isCompleted();
        assertThat(later.toCompletableFuture()).isCompleted();
    }

    @Test
    void underConcurrentRequestsFromManyThreadsEveryTopicIsSubscribedExactlyOnce() throws Exception {
        ExecutorService controlThread = Executors.newSingleThreadExecutor();
        ExecutorService requesters = Executors.newFixedThreadPool(4);
        try {
            SubscriptionSession session = new SubscriptionSession(this.commands, this.channels, 7, controlThread);
            List<String> topics = IntStream.range(0, 4_000).mapToObj((n) -> "t" + n).toList();
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int offset = t;
                done.add(requesters.submit(() -> {
                    start.await();
                    for (int n = offset; n < topics.size(); n += 2) {
                        session.subscribe(topics.get(n));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> requester : done) {
                requester.get(30, TimeUnit.SECONDS);
            }
            controlThread.submit(() -> { }).get(30, TimeUnit.SECONDS);

            List<String> subscribed = this.commands.sent.stream()
                .flatMap((command) -> Arrays.stream(command.substring("SUBSCRIBE ".length()).split(" ")))
                .toList();
            assertThat(subscribed).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(topics.stream().map(this.channels::channelOf).toList());
        }
        finally {
            requesters.shutdownNow();
            controlThread.shutdownNow();
        }
    }

    /** A SUBSCRIBE queue that runs a task once, right after the next topic was added: a flush at the worst moment. */
    static final class InterleavingQueue extends ConcurrentLinkedQueue<String> {

        volatile Runnable afterNextAdd;

        volatile boolean interleaved;

        @Override
        public boolean offer(String topic) {
            boolean added = super.offer(topic);
            Runnable task = this.afterNextAdd;
            if (task != null) {
                this.afterNextAdd = null;
                task.run();
                this.interleaved = true;
            }
            return added;
        }
    }
}
