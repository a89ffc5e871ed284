package dev.fanout.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.fanout.Broker;
import dev.fanout.BrokerState;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The subscription bookkeeping under contention, without Redis: threads add and remove local subscribers as the hub
 * does (first subscriber: {@code subscribe}; last one leaving: {@code unsubscribe}, both outside the hub's lock) while
 * the real control thread runs batched SUBSCRIBEs and delayed checks. Replaying the recorded commands gives what Redis
 * would hold.
 */
@Timeout(60)
class SubscriptionsContentionTests {

    @Test
    void underConcurrentSubscribeAndUnsubscribeChurnTheCommandsOnceQuietSubscribeExactlyTheHubsLocalTopics()
            throws Exception {
        ControlThread control = new ControlThread();
        ExecutorService churners = Executors.newFixedThreadPool(4);
        try {
            CountingHub hub = new CountingHub();
            Subscriptions subscriptions = new Subscriptions(new ChannelNames("fanout"), 3, Duration.ofMillis(1),
                    control);
            hub.subscriptions = subscriptions;
            subscriptions.attach(hub);
            RecordingCommands commands = new RecordingCommands();
            control.runAndWait(() -> subscriptions.open(commands), Duration.ofSeconds(10));
            List<String> topics = IntStream.range(0, 64).mapToObj((n) -> "t" + n).toList();
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(churners.submit(() -> {
                    start.await();
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    List<String> mine = new ArrayList<>();
                    // At most 3 subscribers a thread on 64 topics: most joins are a first, most leaves a last.
                    for (int i = 0; i < 20_000 || subscriptions.delayedChecksRun() == 0; i++) {
                        if (mine.isEmpty() || (mine.size() < 3 && random.nextBoolean())) {
                            String topic = topics.get(random.nextInt(topics.size()));
                            hub.join(topic);
                            mine.add(topic);
                        }
                        else {
                            hub.leave(mine.remove(random.nextInt(mine.size())));
                        }
                    }
                    // Each thread ends subscribed somewhere, so that what Redis must hold at the end is never empty.
                    if (mine.isEmpty()) {
                        hub.join(topics.get(random.nextInt(topics.size())));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> churner : done) {
                churner.get(30, TimeUnit.SECONDS);
            }

            Set<String> expected = new HashSet<>();
            hub.localTopics().forEach((topic) -> expected.add("fanout.t." + topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> replay(commands.sent), expected::equals);
            assertThat(expected).isNotEmpty();
        }
        finally {
            churners.shutdownNow();
            control.shutdownNow();
            control.awaitTermination(Duration.ofSeconds(5));
        }
    }

    /** The channels Redis would be subscribed to after these commands. */
    private static Set<String> replay(List<String> sent) {
        Set<String> subscribed = new HashSet<>();
        for (String command : List.copyOf(sent)) {
            String[] words = command.split(" ");
            for (int i = 1; i < words.length; i++) {
                if (words[0].equals("SUBSCRIBE")) {
                    subscribed.add(words[i]);
                }
                else {
                    subscribed.remove(words[i]);
                }
            }
        }
        return subscribed;
    }

    /** Counts local subscribers per topic and calls the broker on the first and the last, outside its own lock. */
    static final class CountingHub implements Broker.Node {

        private final ConcurrentMap<String, Integer> subscribers = new ConcurrentHashMap<>();

        volatile Subscriptions subscriptions;

        void join(String topic) {
            if (this.subscribers.merge(topic, 1, Integer::sum) == 1) {
                this.subscriptions.subscribe(topic);
            }
        }

        void leave(String topic) {
            if (this.subscribers.compute(topic, (key, count) -> (count == 1) ? null : count - 1) == null) {
                this.subscriptions.unsubscribe(topic);
            }
        }

        @Override
        public void deliver(String topic, String frame) {
        }

        @Override
        public boolean hasLocalSubscribers(String topic) {
            return this.subscribers.containsKey(topic);
        }

        @Override
        public Set<String> localTopics() {
            return Set.copyOf(this.subscribers.keySet());
        }

        @Override
        public void brokerStateChanged(BrokerState state) {
        }
    }
}
