package dev.fanout;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.fanout.testing.InMemoryRawSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An asynchronous authorizer answering on another thread at the same moment as the spoke's unsubscribe or its
 * disconnect, over many rounds: every id gets exactly one reply, in arrival order, and the unsubscribe or the
 * disconnect always wins.
 */
@Timeout(60)
class AuthorizationRaceStressTests {

    private static final int ROUNDS = 2_000;

    private final List<CompletableFuture<AuthorizationDecision>> answers = new CopyOnWriteArrayList<>();

    private final WebSocketServerEventTarget hub = WebSocketServerEventTarget.create(WebSocketServerOptions.builder()
        .subscriptionAuthorizer((spoke, topic) -> {
            CompletableFuture<AuthorizationDecision> answer = new CompletableFuture<>();
            this.answers.add(answer);
            return answer;
        })
        .build());

    private final ExecutorService authorizerThread = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopThread() {
        this.authorizerThread.shutdownNow();
    }

    @Test
    void anAllowRacingAnUnsubscribeNeverLeavesASubscriptionAndAnswersEachIdOnceInOrder() throws Exception {
        InMemoryRawSocket socket = new InMemoryRawSocket("spoke");
        SpokeEventTarget spoke = this.hub.addConnection(socket);
        CyclicBarrier start = new CyclicBarrier(2);
        for (int round = 0; round < ROUNDS; round++) {
            socket.receiveText(Frames.subscribe("news", "s" + round));
            CompletableFuture<AuthorizationDecision> answer = this.answers.get(round);
            Future<?> allow = this.authorizerThread.submit(() -> {
                start.await();
                return answer.complete(AuthorizationDecision.allow());
            });
            start.await();
            socket.receiveText(Frames.unsubscribe("news", "u" + round));
            allow.get();

            assertThat(spoke.subscriptions()).as("round %d", round).isEmpty();
            assertThat(this.hub.topicSubscriberCounts()).as("round %d", round).isEmpty();
        }

        List<String> replies = socket.sentMessages().stream().map(Frames::replySummary).toList();
        assertThat(replies).hasSize(2 * ROUNDS);
        for (int round = 0; round < ROUNDS; round++) {
            assertThat(replies.get(2 * round)).isIn("__ack:s" + round, "__error:s" + round + ":cancelled");
            assertThat(replies.get(2 * round + 1)).isEqualTo("__ack:u" + round);
        }
    }

    @Test
    void anAllowRacingADisconnectNeverLeavesASubscriptionOrAConnection() throws Exception {
        CyclicBarrier start = new CyclicBarrier(2);
        for (int round = 0; round < ROUNDS; round++) {
            InMemoryRawSocket socket = new InMemoryRawSocket("spoke-" + round);
            SpokeEventTarget spoke = this.hub.addConnection(socket);
            socket.receiveText(Frames.subscribe("news", "s" + round));
            CompletableFuture<AuthorizationDecision> answer = this.answers.get(round);
            Future<?> allow = this.authorizerThread.submit(() -> {
                start.await();
                return answer.complete(AuthorizationDecision.allow());
            });
            start.await();
            socket.closeFromPeer(1001, "gone");
            allow.get();

            assertThat(spoke.subscriptions()).as("round %d", round).isEmpty();
            assertThat(this.hub.topicSubscriberCounts()).as("round %d", round).isEmpty();
            assertThat(this.hub.connectionCount()).as("round %d", round).isZero();
        }
    }
}
