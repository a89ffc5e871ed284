package dev.fanout.internal;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.fanout.ErrorCodes;
import dev.fanout.Event;
import dev.fanout.EventListener;
import dev.fanout.ListenerRegistration;
import dev.fanout.RawSocket;
import dev.fanout.SpokeEventTarget;

/**
 * One spoke's connection to the hub: its subscriptions, its own listeners, and the socket listener that feeds its
 * inbound messages to the hub.
 *
 * <p>Subscribing, unsubscribing, attaching the socket listener and removal hold this connection's monitor, so a
 * subscribe racing a removal can never leave the connection in a topic, and the listener is never attached after the
 * removal detached it. Sending holds no lock. {@code removed} is written under the monitor and read without it: a
 * send that misses the write goes to a socket that is being removed, which is harmless.
 *
 * <p>{@code announcement} orders the hub's callbacks: a removal that happens while {@code onConnection} still runs
 * leaves {@code onDisconnection} to the thread that runs {@code onConnection}, which fires it afterwards.
 */
final class Connection implements SpokeEventTarget, RawSocket.Listener {

    private final Hub hub;

    private final RawSocket socket;

    private final ListenerRegistry listeners;

    private final SubscriptionFlow subscriptionFlow;

    private final InboundBucket inboundBucket;

    private final Set<String> subscriptions = new HashSet<>();

    private final RecoveryBuffers recoveries = new RecoveryBuffers();

    /** Above this many buffered bytes a send asks the flow control; the backpressure threshold when it is off. */
    private final long highWaterMark;

    private final ReadingValve readingValve;

    /** Written by {@link FlowControl} under its lock; read by it without. */
    private volatile FlowControl.Mark flowMark = FlowControl.Mark.CLEAR;

    private volatile boolean removed;

    private final AtomicBoolean evicting = new AtomicBoolean();

    private final AtomicInteger announcement = new AtomicInteger(ANNOUNCING);

    private static final int ANNOUNCING = 0;

    private static final int ANNOUNCED = 1;

    private static final int REMOVED_WHILE_ANNOUNCING = 2;

    Connection(Hub hub, RawSocket socket, ListenerRegistry listeners) {
        this.hub = hub;
        this.socket = socket;
        this.listeners = listeners;
        this.subscriptionFlow = hub.subscriptionFlowOf(this);
        this.inboundBucket = hub.inboundBucket();
        this.highWaterMark = hub.highWaterMark();
        this.readingValve = hub.readingValveOf(socket);
    }

    @Override
    public RawSocket socket() {
        return this.socket;
    }

    @Override
    public synchronized Set<String> subscriptions() {
        return Set.copyOf(this.subscriptions);
    }

    @Override
    public boolean isConnected() {
        return !this.removed;
    }

    @Override
    public ListenerRegistration addEventListener(String type, EventListener listener) {
        return this.listeners.add(type, listener);
    }

    @Override
    public boolean removeEventListener(String type, EventListener listener) {
        return this.listeners.remove(type, listener);
    }

    @Override
    public boolean dispatchEvent(Event event) {
        Objects.requireNonNull(event, "event");
        send(this.hub.encode(event));
        return true;
    }

    @Override
    public void reject(Event refused, String code, String message) {
        Objects.requireNonNull(refused, "refused");
        ErrorCodes.requireValid(code);
        Objects.requireNonNull(message, "message");
        String id = refused.id();
        if (id != null) {
            this.subscriptionFlow.reply(this.hub.replies().error(id, refused.type(), code, message));
        }
    }

    @Override
    public void onText(String text) {
        this.hub.receive(this, text);
    }

    @Override
    public void onBinary(byte[] data) {
        this.hub.receive(this, data);
    }

    @Override
    public void onClose(int code, String reason) {
        this.hub.closed(this, code, reason);
    }

    /**
     * Sends one serialized event, unless more than the threshold is already buffered, in which case the connection
     * is closed as a slow consumer instead. Above the flow control's high-water mark (and up to the threshold) the
     * event is sent and the flow control told. While the buffered amount is at or below the high-water mark this
     * costs one comparison, as the threshold check alone did before flow control: the threshold is only compared
     * above the mark (with flow control off, the mark is the threshold). Keep it that way; it is the hot path.
     *
     * @return whether the socket took the event
     */
    boolean send(String frame) {
        if (this.removed) {
            return false;
        }
        try {
            long buffered = this.socket.bufferedAmount();
            if (buffered > this.highWaterMark) {
                if (buffered > this.hub.backpressureThreshold()) {
                    this.hub.disconnectSlowConsumer(this, buffered);
                    return false;
                }
                this.hub.overHighWater(this);
            }
            this.socket.send(frame);
            return true;
        }
        catch (RuntimeException ex) {
            this.hub.sendFailed(this, ex);
            return false;
        }
    }

    /**
     * Sends one event of a topic with history, or buffers it while the topic's recovery for this connection is in
     * progress; a buffer that grows over the backpressure threshold closes the connection as a slow consumer.
     */
    boolean sendStamped(String topic, long offset, String frame) {
        long buffered = this.recoveries.offer(topic, offset, frame);
        if (buffered == RecoveryBuffers.NOT_BUFFERED) {
            return send(frame);
        }
        if (buffered > this.hub.backpressureThreshold()) {
            this.hub.disconnectSlowConsumer(this, buffered);
            return false;
        }
        return true;
    }

    FlowControl.Mark flowMark() {
        return this.flowMark;
    }

    void setFlowMark(FlowControl.Mark mark) {
        this.flowMark = mark;
    }

    ReadingValve readingValve() {
        return this.readingValve;
    }

    RecoveryBuffers recoveries() {
        return this.recoveries;
    }

    /**
     * Claims the one eviction of this connection as a slow consumer, for the first of several dispatching threads
     * that see it over the threshold.
     */
    boolean startEviction() {
        return this.evicting.compareAndSet(false, true);
    }

    SubscriptionFlow subscriptionFlow() {
        return this.subscriptionFlow;
    }

    InboundBucket inboundBucket() {
        return this.inboundBucket;
    }

    void fire(Event event) {
        this.listeners.fire(event, this);
    }

    synchronized SubscribeOutcome subscribe(String topic, int maxSubscriptions, TopicRegistry topics) {
        if (this.removed) {
            return SubscribeOutcome.CONNECTION_REMOVED;
        }
        if (this.subscriptions.contains(topic)) {
            return SubscribeOutcome.ALREADY_SUBSCRIBED;
        }
        if (this.subscriptions.size() >= maxSubscriptions) {
            return SubscribeOutcome.LIMIT_REACHED;
        }
        this.subscriptions.add(topic);
        topics.subscribe(topic, this);
        return SubscribeOutcome.SUBSCRIBED;
    }

    synchronized boolean isSubscribed(String topic) {
        return this.subscriptions.contains(topic);
    }

    synchronized int subscriptionCount() {
        return this.subscriptions.size();
    }

    synchronized void unsubscribe(String topic, TopicRegistry topics) {
        this.recoveries.discard(topic);
        if (this.subscriptions.remove(topic)) {
            topics.unsubscribe(topic, this);
        }
    }

    /**
     * Sets this connection as the socket's listener, unless it was removed already.
     */
    synchronized void attach() {
        if (!this.removed) {
            this.socket.setListener(this);
        }
    }

    /**
     * Whether the connection was removed, waiting for a removal in progress to finish detaching first.
     */
    synchronized boolean isRemovedAndDetached() {
        return this.removed;
    }

    /**
     * Marks the connection removed, takes it out of every topic and detaches it from the socket.
     *
     * @return {@code true} for the one call that removed it
     */
    synchronized boolean markRemovedAndDetach(TopicRegistry topics) {
        if (this.removed) {
            return false;
        }
        this.removed = true;
        for (String topic : this.subscriptions) {
            topics.unsubscribe(topic, this);
        }
        this.subscriptions.clear();
        this.socket.setListener(null);
        return true;
    }

    /**
     * Ends the announcement ({@code onConnection}) of this connection.
     *
     * @return {@code false} if the connection was removed meanwhile, so that the caller now owes its
     *     {@code onDisconnection}
     */
    boolean finishAnnouncing() {
        return this.announcement.compareAndSet(ANNOUNCING, ANNOUNCED);
    }

    /**
     * Called by the removal: leaves {@code onDisconnection} to the announcing thread if {@code onConnection} still runs.
     *
     * @return {@code true} if the announcing thread will fire {@code onDisconnection}
     */
    boolean deferDisconnectionWhileAnnouncing() {
        return this.announcement.compareAndSet(ANNOUNCING, REMOVED_WHILE_ANNOUNCING);
    }

    @Override
    public String toString() {
        return "Spoke[" + this.socket + "]";
    }

    enum SubscribeOutcome {
        SUBSCRIBED, ALREADY_SUBSCRIBED, LIMIT_REACHED, CONNECTION_REMOVED
    }
}
