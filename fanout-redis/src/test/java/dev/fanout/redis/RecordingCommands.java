package dev.fanout.redis;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The pub/sub commands a session sent, for unit tests: {@code SUBSCRIBE a b} and {@code UNSUBSCRIBE a}, in order. */
final class RecordingCommands implements SubscriptionSession.Commands {

    final List<String> sent = new CopyOnWriteArrayList<>();

    @Override
    public void subscribe(String... channels) {
        this.sent.add("SUBSCRIBE " + String.join(" ", channels));
    }

    @Override
    public void unsubscribe(String channel) {
        this.sent.add("UNSUBSCRIBE " + channel);
    }
}
