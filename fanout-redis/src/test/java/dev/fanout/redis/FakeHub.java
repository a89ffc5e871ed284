package dev.fanout.redis;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.fanout.Broker;
import dev.fanout.BrokerState;

/**
 * A hub as the broker sees it, for unit tests: its local topics are what the test sets, and what the broker delivers
 * or reports is recorded.
 */
final class FakeHub implements Broker.Node {

    final Set<String> localTopics = ConcurrentHashMap.newKeySet();

    final List<String> delivered = new CopyOnWriteArrayList<>();

    final List<BrokerState> states = new CopyOnWriteArrayList<>();

    @Override
    public void deliver(String topic, String frame) {
        this.delivered.add(topic + " " + frame);
    }

    @Override
    public boolean hasLocalSubscribers(String topic) {
        return this.localTopics.contains(topic);
    }

    @Override
    public Set<String> localTopics() {
        return Set.copyOf(this.localTopics);
    }

    @Override
    public void brokerStateChanged(BrokerState state) {
        this.states.add(state);
    }
}
