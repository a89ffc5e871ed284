package dev.fanout.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

import dev.fanout.HubStatistics;

/**
 * The hub's always-on statistics: {@link LongAdder}s, one update per dispatch (never per subscriber), per inbound
 * message and per closed connection, and the gauges read from the hub when asked.
 *
 * <p>Event counters are kept in slots: one slot when no topic prefixes are configured, else one per prefix and a
 * last one for {@link HubStatistics#OTHER_PREFIX}. Finding the slot of a type costs one {@code startsWith} per
 * configured prefix, longest first. Thread-safe; a {@link LongAdder} needs no lock and publishes its updates to
 * every later {@link LongAdder#sum()}.
 */
final class HubCounters implements HubStatistics {

    private final List<String> slotNames;

    /** The configured prefixes, longest first, each with its slot in {@link #slotOfPrefix}. */
    private final String[] prefixesLongestFirst;

    private final int[] slotOfPrefix;

    private final int otherSlot;

    private final LongAdder[] dispatched;

    private final LongAdder[] delivered;

    private final LongAdder[] received;

    private final LongAdder[] ignored = adders(IgnoredReason.values().length);

    private final LongAdder[] closed = adders(CloseCode.values().length);

    private final LongAdder subscriptionsDenied = new LongAdder();

    private final LongAdder publisherPauses = new LongAdder();

    private final AtomicInteger pausedPublishers = new AtomicInteger();

    private final IntSupplier spokes;

    private final IntSupplier topics;

    private final LongSupplier subscriptions;

    private final LongSupplier bufferedBytes;

    HubCounters(List<String> prefixes, IntSupplier spokes, IntSupplier topics, LongSupplier subscriptions,
            LongSupplier bufferedBytes) {
        List<String> names = new ArrayList<>(prefixes);
        if (!prefixes.isEmpty()) {
            names.add(OTHER_PREFIX);
        }
        this.slotNames = List.copyOf(names);
        List<String> longestFirst = new ArrayList<>(prefixes);
        longestFirst.sort(Comparator.comparingInt(String::length).reversed());
        this.prefixesLongestFirst = longestFirst.toArray(String[]::new);
        this.slotOfPrefix = new int[this.prefixesLongestFirst.length];
        for (int i = 0; i < this.prefixesLongestFirst.length; i++) {
            this.slotOfPrefix[i] = prefixes.indexOf(this.prefixesLongestFirst[i]);
        }
        this.otherSlot = prefixes.size();
        int slots = prefixes.size() + 1;
        this.dispatched = adders(slots);
        this.delivered = adders(slots);
        this.received = adders(slots);
        this.spokes = spokes;
        this.topics = topics;
        this.subscriptions = subscriptions;
        this.bufferedBytes = bufferedBytes;
    }

    void dispatched(String type, int deliveredTo) {
        int slot = slotOf(type);
        this.dispatched[slot].increment();
        if (deliveredTo > 0) {
            this.delivered[slot].add(deliveredTo);
        }
    }

    void delivered(String type, int deliveredTo) {
        if (deliveredTo > 0) {
            this.delivered[slotOf(type)].add(deliveredTo);
        }
    }

    void received(String type) {
        this.received[slotOf(type)].increment();
    }

    void ignored(IgnoredReason reason) {
        this.ignored[reason.ordinal()].increment();
    }

    void closed(int code) {
        this.closed[CloseCode.of(code).ordinal()].increment();
    }

    void subscriptionDenied() {
        this.subscriptionsDenied.increment();
    }

    void publisherPaused() {
        this.publisherPauses.increment();
        this.pausedPublishers.incrementAndGet();
    }

    void publisherResumed() {
        this.pausedPublishers.decrementAndGet();
    }

    private int slotOf(String type) {
        String[] prefixes = this.prefixesLongestFirst;
        for (int i = 0; i < prefixes.length; i++) {
            if (type.startsWith(prefixes[i])) {
                return this.slotOfPrefix[i];
            }
        }
        return this.otherSlot;
    }

    @Override
    public long eventsDispatched() {
        return sum(this.dispatched);
    }

    @Override
    public long eventsDelivered() {
        return sum(this.delivered);
    }

    @Override
    public long eventsReceived() {
        return sum(this.received);
    }

    @Override
    public long eventsDispatched(String prefix) {
        return inSlot(this.dispatched, prefix);
    }

    @Override
    public long eventsDelivered(String prefix) {
        return inSlot(this.delivered, prefix);
    }

    @Override
    public long eventsReceived(String prefix) {
        return inSlot(this.received, prefix);
    }

    @Override
    public List<String> topicPrefixes() {
        return this.slotNames;
    }

    @Override
    public long inboundIgnored(IgnoredReason reason) {
        return this.ignored[reason.ordinal()].sum();
    }

    @Override
    public long spokesClosed(CloseCode code) {
        return this.closed[code.ordinal()].sum();
    }

    @Override
    public long subscriptionsDenied() {
        return this.subscriptionsDenied.sum();
    }

    @Override
    public int activeSpokes() {
        return this.spokes.getAsInt();
    }

    @Override
    public int activeTopics() {
        return this.topics.getAsInt();
    }

    @Override
    public long activeSubscriptions() {
        return this.subscriptions.getAsLong();
    }

    @Override
    public long bufferedBytes() {
        return this.bufferedBytes.getAsLong();
    }

    @Override
    public long publisherPauses() {
        return this.publisherPauses.sum();
    }

    @Override
    public int pausedPublishers() {
        return this.pausedPublishers.get();
    }

    @Override
    public String toString() {
        return "HubStatistics[spokes=" + activeSpokes() + ", topics=" + activeTopics() + ", dispatched="
                + eventsDispatched() + ", delivered=" + eventsDelivered() + ", received=" + eventsReceived() + "]";
    }

    private long inSlot(LongAdder[] adders, String prefix) {
        int slot = this.slotNames.indexOf(prefix);
        return (slot < 0) ? 0 : adders[slot].sum();
    }

    private static long sum(LongAdder[] adders) {
        long total = 0;
        for (LongAdder adder : adders) {
            total += adder.sum();
        }
        return total;
    }

    private static LongAdder[] adders(int count) {
        LongAdder[] adders = new LongAdder[count];
        for (int i = 0; i < count; i++) {
            adders[i] = new LongAdder();
        }
        return adders;
    }
}
