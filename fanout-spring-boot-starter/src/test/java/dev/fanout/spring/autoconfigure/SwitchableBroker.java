package dev.fanout.spring.autoconfigure;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.fanout.Broker;
import dev.fanout.BrokerState;
import dev.fanout.BrokerStatistics;

/**
 * A cluster broker for auto-configuration tests: publishes nowhere, its state is set by the test, and its figures
 * are fixed.
 */
final class SwitchableBroker implements Broker {

    private volatile BrokerState state = BrokerState.UP;

    void setState(BrokerState state) {
        this.state = state;
    }

    @Override
    public void attach(Node node) {
    }

    @Override
    public void publish(String topic, String frame) {
    }

    @Override
    public CompletionStage<Void> subscribe(String topic) {
        return CompletableFuture.completedStage(null);
    }

    @Override
    public void unsubscribe(String topic) {
    }

    @Override
    public BrokerState state() {
        return this.state;
    }

    @Override
    public BrokerStatistics statistics() {
        return new BrokerStatistics() {

            @Override
            public long published() {
                return 7;
            }

            @Override
            public long received() {
                return 5;
            }

            @Override
            public long dropped() {
                return 2;
            }

            @Override
            public long recovered() {
                return 3;
            }

            @Override
            public long lagCount() {
                return 4;
            }

            @Override
            public long lagTotalNanos() {
                return 8_000_000;
            }
        };
    }

    @Override
    public void close() {
    }
}
