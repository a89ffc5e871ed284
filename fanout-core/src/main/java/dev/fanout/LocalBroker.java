package dev.fanout;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The broker of a single node, {@link Broker#local()}: a hub recognises it and never calls it on its hot paths.
 */
final class LocalBroker implements Broker {

    static final LocalBroker INSTANCE = new LocalBroker();

    private static final CompletionStage<Void> CONFIRMED = CompletableFuture.completedStage(null);

    private LocalBroker() {
    }

    @Override
    public void attach(Node node) {
    }

    @Override
    public void publish(String topic, String frame) {
    }

    @Override
    public CompletionStage<Void> subscribe(String topic) {
        return CONFIRMED;
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

    @Override
    public String toString() {
        return "LocalBroker";
    }
}
