package dev.fanout.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.junit.jupiter.api.Test;

import dev.fanout.Broker;
import dev.fanout.BrokerState;
import dev.fanout.WebSocketServerOptions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Hub#subscriptionConfirmed}: the seam through which a subscription acknowledgement waits for the broker.
 */
class SubscriptionConfirmationTests {

    @Test
    void onASingleNodeTheSubscriptionIsConfirmedAtOnce() {
        Hub hub = new Hub(WebSocketServerOptions.ofDefaults());

        assertThat(hub.subscriptionConfirmed("news").toCompletableFuture()).isCompleted();
    }

    @Test
    void inAClusterTheSubscriptionIsConfirmedWhenTheBrokerConfirmsIt() {
        CompletableFuture<Void> brokerConfirmation = new CompletableFuture<>();
        Hub hub = new Hub(WebSocketServerOptions.builder().broker(new ConfirmingBroker(brokerConfirmation)).build());

        CompletionStage<Void> confirmed = hub.subscriptionConfirmed("news");
        assertThat(confirmed.toCompletableFuture()).isNotDone();

        brokerConfirmation.complete(null);
        assertThat(confirmed.toCompletableFuture()).isCompleted();
    }

    private record ConfirmingBroker(CompletableFuture<Void> confirmation) implements Broker {

        @Override
        public void attach(Node node) {
        }

        @Override
        public void publish(String topic, String frame) {
        }

        @Override
        public CompletionStage<Void> subscribe(String topic) {
            return this.confirmation;
        }

        @Override
        public void unsubscribe(String topic) {
        }

        @Override
        public BrokerState state() {
            return BrokerState.UP;
        }

        @Override
        public void close() {
        }
    }
}
