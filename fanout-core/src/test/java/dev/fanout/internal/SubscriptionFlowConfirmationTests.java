package dev.fanout.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.fanout.Broker;
import dev.fanout.SubscriptionAuthorizer;
import dev.fanout.TimeSource;
import dev.fanout.WebSocketServerEventTarget;
import dev.fanout.testing.InMemoryRawSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The last step of a subscribe on a cluster node: the acknowledgement waits for the broker's confirmation of the
 * topic ({@code Hub.subscriptionConfirmed}), played here by controllable futures.
 */
class SubscriptionFlowConfirmationTests {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final List<CompletableFuture<Void>> confirmations = new CopyOnWriteArrayList<>();

    private final TopicRegistry topics = new TopicRegistry(Broker.local());

    private final InMemoryRawSocket socket = new InMemoryRawSocket("spoke");

    private final Connection connection = (Connection) WebSocketServerEventTarget.create().addConnection(this.socket);

    private final SubscriptionFlow flow = new SubscriptionFlow(this.connection, new SubscriptionFlow.Context(
            new GuardedAuthorizer(SubscriptionAuthorizer.ALLOW_ALL, Duration.ofSeconds(1), TimeSource.system(),
                    log()),
            this.topics, 8, this::confirmation, new ControlReplies(MAPPER), log(), () -> { }));

    private CompletionStage<Void> confirmation(String topic) {
        CompletableFuture<Void> confirmation = new CompletableFuture<>();
        this.confirmations.add(confirmation);
        return confirmation;
    }

    private static RateLimitedLog log() {
        return new RateLimitedLog(LoggerFactory.getLogger(SubscriptionFlowConfirmationTests.class), Duration.ofSeconds(1));
    }

    @Test
    void theAcknowledgementWaitsForTheBrokersConfirmationWhileLocalDeliveryStartsAtOnce() {
        this.flow.subscribe("news", "s1");

        assertThat(this.socket.sentMessages()).isEmpty();
        assertThat(this.topics.subscriberCounts()).containsEntry("news", 1);

        this.confirmations.get(0).complete(null);

        assertThat(replies()).containsExactly("__ack:s1");
    }

    @Test
    void aFailedConfirmationUndoesTheSubscriptionAndAnswersInternal() {
        this.flow.subscribe("news", "s1");

        this.confirmations.get(0).completeExceptionally(new IllegalStateException("broker down"));

        assertThat(replies()).containsExactly("__error:s1:internal");
        assertThat(this.topics.subscriberCounts()).isEmpty();
        assertThat(this.connection.subscriptions()).isEmpty();
    }

    @Test
    void anUnsubscribeWhileTheConfirmationIsPendingWinsAndALateConfirmationSendsNothing() {
        this.flow.subscribe("news", "s1");
        this.flow.unsubscribe("news", "u1");

        this.confirmations.get(0).complete(null);

        assertThat(replies()).containsExactly("__error:s1:cancelled", "__ack:u1");
        assertThat(this.topics.subscriberCounts()).isEmpty();
    }

    @Test
    void subscribesArrivingWhileTheConfirmationIsPendingAreAcknowledgedWithIt() {
        this.flow.subscribe("news", "s1");
        this.flow.subscribe("news", "s2");

        this.confirmations.get(0).complete(null);

        assertThat(this.confirmations).hasSize(1);
        assertThat(replies()).containsExactly("__ack:s1", "__ack:s2");
        assertThat(this.topics.subscriberCounts()).isEqualTo(Map.of("news", 1));
    }

    private List<String> replies() {
        return this.socket.sentMessages().stream().map((frame) -> {
            JsonNode reply = MAPPER.readTree(frame);
            String code = reply.path("payload").path("code").asString("");
            return reply.get("type").stringValue() + ":" + reply.get("id").stringValue()
                    + (code.isEmpty() ? "" : ":" + code);
        }).toList();
    }
}
