package dev.fanout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

import dev.fanout.testing.InMemoryRawSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Many threads subscribing, unsubscribing, dispatching, connecting and disconnecting at once against one hub.
 * Bounded by work, not time: the publishers dispatch a fixed number of events and everyone else stops when they are
 * done.
 */
class HubConcurrencyStressTests {

    private static final List<String> TOPICS = List.of("t0", "t1", "t2", "t3");

    private static final int PUBLISHERS = 3;

    private static final int EVENTS_PER_PUBLISHER = 3_000;

    private static final int STABLE_SUBSCRIBERS = 6;

    private static final int CHURNERS = 3;

    private static final int MIN_CHURNED_CONNECTIONS = CHURNERS * 10;

    private final Map<SpokeEventTarget, String> lifecycle = new ConcurrentHashMap<>();

    private final Queue<String> lifecycleViolations = new ConcurrentLinkedQueue<>();

    private final WebSocketServerEventTarget hub = WebSocketServerEventTarget.create(WebSocketServerOptions.builder()
        .maxSubscriptionsPerConnection(TOPICS.size() + 2)
        .onConnection((spoke, socket) -> {
            if (this.lifecycle.putIfAbsent(spoke, "connected") != null) {
                this.lifecycleViolations.add("onConnection after another callback for " + socket);
            }
        })
        .onDisconnection((spoke, socket) -> {
            if (!this.lifecycle.replace(spoke, "connected", "disconnected")) {
                this.lifecycleViolations.add("onDisconnection without a preceding onConnection, or twice, for "
                        + socket + ": " + this.lifecycle.get(spoke));
            }
        })
        .build());

    private final Queue<Throwable> escaped = new ConcurrentLinkedQueue<>();

    private final AtomicBoolean publishing = new AtomicBoolean(true);

    private final AtomicInteger churnedConnections = new AtomicInteger();

    private final Queue<InMemoryRawSocket> reapable = new ConcurrentLinkedQueue<>();

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void concurrentSubscribingDispatchingConnectingAndDisconnectingLosesNoEventOfStableSubscribersAndLeaksNothing()
            throws Exception {
        List<InMemoryRawSocket> stable = IntStream.range(0, STABLE_SUBSCRIBERS)
            .mapToObj((n) -> new InMemoryRawSocket("stable-" + n))
            .toList();
        List<SpokeEventTarget> stableSpokes = new ArrayList<>();
        for (int n = 0; n < STABLE_SUBSCRIBERS; n++) {
            stableSpokes.add(this.hub.addConnection(stable.get(n)));
            stable.get(n).receiveText(Frames.subscribe(stableTopic(n)));
        }
        List<Runnable> workers = new ArrayList<>();
        IntStream.range(0, PUBLISHERS).forEach((p) -> workers.add(() -> publish(p)));
        IntStream.range(0, CHURNERS).forEach((c) -> workers.add(() -> churn(c)));
        workers.add(() -> flapExtraSubscriptionsOf(stable));
        workers.add(this::flapHubListeners);
        workers.add(this::reap);

        runTogether(workers);

        assertThat(this.escaped).as("exceptions that escaped the hub").isEmpty();
        assertThat(this.lifecycleViolations).isEmpty();
        assertThat(this.churnedConnections).as("connections churned while publishing").hasValueGreaterThan(MIN_CHURNED_CONNECTIONS);
        for (int n = 0; n < STABLE_SUBSCRIBERS; n++) {
            assertReceivedEveryEventOfItsTopicInOrder(stable.get(n), stableTopic(n));
            assertThat(stableSpokes.get(n).isConnected()).isTrue();
        }
        stable.forEach((socket) -> socket.closeFromPeer(1001, "test over"));
        assertThat(this.hub.connectionCount()).isZero();
        assertThat(this.hub.connections()).isEmpty();
        assertThat(this.hub.topicSubscriberCounts()).isEmpty();
        assertThat(this.lifecycle).allSatisfy((spoke, state) -> assertThat(state).isEqualTo("disconnected"));
    }

    private static String stableTopic(int subscriber) {
        return TOPICS.get(subscriber % TOPICS.size());
    }

    private void publish(int publisher) {
        try {
            for (int sequence = 0; sequence < EVENTS_PER_PUBLISHER; sequence++) {
                if (sequence == EVENTS_PER_PUBLISHER / 2) {
                    awaitChurnWhilePublishing();
                }
                String topic = TOPICS.get(sequence % TOPICS.size());
                boolean result = this.hub.dispatchEvent(Event.of(topic, Map.of("publisher", publisher, "sequence",
                        sequence)));
                if (!result) {
                    throw new AssertionError("dispatchEvent returned false");
                }
            }
        }
        finally {
            this.publishing.set(false);
        }
    }

    /**
     * Holds a publisher halfway until the churners have cycled several connections, so that churn overlaps publishing
     * however the threads are scheduled on a loaded machine.
     */
    private void awaitChurnWhilePublishing() {
        await().atMost(Duration.ofSeconds(30)).until(() -> this.churnedConnections.get() > MIN_CHURNED_CONNECTIONS);
    }

    private void churn(int churner) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (this.publishing.get()) {
            InMemoryRawSocket socket = new InMemoryRawSocket("churn-" + churner + "-"
                    + this.churnedConnections.incrementAndGet());
            SpokeEventTarget spoke = this.hub.addConnection(socket);
            this.reapable.add(socket);
            for (int i = random.nextInt(1, 20); i > 0 && spoke.isConnected(); i--) {
                String topic = TOPICS.get(random.nextInt(TOPICS.size()));
                socket.receiveText(random.nextBoolean() ? Frames.subscribe(topic) : Frames.unsubscribe(topic));
            }
            socket.receiveText(Frames.event("chat", "from " + socket));
            spoke.dispatchEvent(Event.of("direct"));
            switch (random.nextInt(5)) {
                case 0 -> socket.closeFromPeer(1000, "");
                case 1 -> socket.close(1000, "");
                case 2 -> this.hub.removeConnection(socket);
                case 3 -> {
                    socket.receiveText(Frames.subscribe("slow"));
                    socket.setBufferedAmount(Long.MAX_VALUE);
                    this.hub.dispatchEvent(Event.of("slow", "backpressure"));
                    spoke.dispatchEvent(Event.of("direct"));
                }
                default -> {
                    this.hub.removeConnection(socket);
                    socket.closeFromPeer(1006, "");
                    this.hub.removeConnection(socket);
                }
            }
            awaitEvictionByAnotherThread(spoke);
            if (this.hub.removeConnection(socket) || spoke.isConnected()) {
                throw new AssertionError(socket + " was still connected after its removal");
            }
        }
    }

    /**
     * A publisher that saw the slow socket first owns its eviction and may still be running it when this thread's
     * own dispatch returns; the eviction finishes within moments.
     */
    private static void awaitEvictionByAnotherThread(SpokeEventTarget spoke) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (spoke.isConnected() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }

    private void reap() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (this.publishing.get()) {
            InMemoryRawSocket socket = this.reapable.poll();
            if (socket == null) {
                Thread.yield();
            }
            else if (random.nextBoolean()) {
                this.hub.removeConnection(socket);
            }
            else {
                socket.closeFromPeer(1001, "reaped");
            }
        }
    }

    private void flapExtraSubscriptionsOf(List<InMemoryRawSocket> stable) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (this.publishing.get()) {
            InMemoryRawSocket socket = stable.get(random.nextInt(stable.size()));
            String extra = "extra-" + random.nextInt(3);
            socket.receiveText(random.nextBoolean() ? Frames.subscribe(extra) : Frames.unsubscribe(extra));
            socket.receiveText(Frames.subscribe(stableTopic(stable.indexOf(socket))));
        }
    }

    private void flapHubListeners() {
        AtomicInteger calls = new AtomicInteger();
        while (this.publishing.get()) {
            ListenerRegistration registration = this.hub.addEventListener("chat", (event) -> calls.incrementAndGet());
            this.hub.addEventListener("chat", (event) -> {
                throw new IllegalStateException("a listener bug");
            }).remove();
            registration.remove();
        }
    }

    private void runTogether(List<Runnable> workers) throws Exception {
        CountDownLatch ready = new CountDownLatch(workers.size());
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(workers.size());
        try {
            List<Future<?>> results = new ArrayList<>();
            for (Runnable worker : workers) {
                results.add(pool.submit(() -> {
                    ready.countDown();
                    try {
                        start.await();
                        worker.run();
                    }
                    catch (Throwable ex) {
                        this.publishing.set(false);
                        this.escaped.add(ex);
                    }
                }));
            }
            ready.await();
            start.countDown();
            for (Future<?> result : results) {
                result.get(50, TimeUnit.SECONDS);
            }
        }
        finally {
            pool.shutdownNow();
        }
    }

    private void assertReceivedEveryEventOfItsTopicInOrder(InMemoryRawSocket socket, String topic) {
        Map<Integer, List<Integer>> sequencesByPublisher = new ConcurrentHashMap<>();
        for (String frame : socket.sentMessages()) {
            JsonNode event = Frames.parse(frame);
            assertThat(event.get("type").stringValue()).as("type of an event sent to %s", socket).isEqualTo(topic);
            sequencesByPublisher
                .computeIfAbsent(event.get("payload").get("publisher").intValue(), (publisher) -> new ArrayList<>())
                .add(event.get("payload").get("sequence").intValue());
        }
        List<Integer> expected = IntStream.range(0, EVENTS_PER_PUBLISHER)
            .filter((sequence) -> TOPICS.get(sequence % TOPICS.size()).equals(topic))
            .boxed()
            .toList();
        assertThat(sequencesByPublisher).as("publishers heard by %s", socket).hasSize(PUBLISHERS);
        sequencesByPublisher.forEach((publisher, sequences) -> assertThat(sequences)
            .as("sequence numbers from publisher %d received by %s", publisher, socket)
            .containsExactlyElementsOf(expected));
    }
}
