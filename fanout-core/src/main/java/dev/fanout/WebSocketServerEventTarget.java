package dev.fanout;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import dev.fanout.internal.Hub;

/**
 * The hub of a hub-and-spokes WebSocket system: a {@link TypedEventTarget} over many connections that fans each
 * dispatched event out to the spokes subscribed to its type.
 *
 * <ul>
 * <li>Spokes subscribe with the control events {@code __subscribe} and {@code __unsubscribe} (see
 * {@code docs/protocol.md}); one that carries an {@code id} gets one {@code __ack} or {@code __error} reply
 * (protocol 1.1). The options' {@link SubscriptionAuthorizer} decides every subscribe, and an
 * {@link InboundRateLimit} may cap what each spoke sends.</li>
 * <li>{@link #dispatchEvent(Event)} serializes the event once and sends it to every connection subscribed to
 * {@link Event#type()}; it does not reach this hub's own listeners. With a cluster {@link Broker} (see
 * {@link WebSocketServerOptions#broker()}) it also reaches the subscribers on every other node, exactly once.</li>
 * <li>{@link #addEventListener} registers local listeners that receive the non-control events of every spoke;
 * {@link #addSpokeEventListener} registers listeners that are also told which spoke sent each event. Events from
 * spokes reach the listeners of the node the spoke is connected to only.</li>
 * <li>A spoke whose {@link RawSocket#bufferedAmount()} exceeds the backpressure threshold is closed with 1013 (Try
 * Again Later) instead of being sent more. Before that, flow control ({@link WebSocketServerOptions#flowControl()})
 * stops reading the spokes whose events back subscribers up, and tells application publishers through
 * {@link #hasCapacity} and {@link #awaitCapacity} when to slow down.</li>
 * </ul>
 *
 * <p><b>Thread safety.</b> Every method may be called from any number of threads at once. Dispatch takes no global
 * lock: it costs one map lookup and one non-blocking {@link RawSocket#send} per subscriber. Events dispatched by one
 * thread reach each spoke in dispatch order.
 *
 * <p>The hub does not perform the HTTP upgrade: an adapter (such as the Spring Boot starter) accepts WebSocket
 * connections and hands them over with {@link #addConnection(RawSocket)}.
 */
public interface WebSocketServerEventTarget extends TypedEventTarget {

    /**
     * Creates a hub with the default options.
     *
     * @return a new hub with no connections
     */
    static WebSocketServerEventTarget create() {
        return create(WebSocketServerOptions.ofDefaults());
    }

    /**
     * Creates a hub: the Java face of the predecessor's {@code createWebSocketServerEventTarget(options)}.
     *
     * @param options the options
     * @return a new hub with no connections
     */
    static WebSocketServerEventTarget create(WebSocketServerOptions options) {
        return new Hub(options);
    }

    /**
     * Takes over a connection: sets the socket's listener, then calls
     * {@link WebSocketServerOptions#onConnection() onConnection}. Adding a socket that is already connected returns
     * its existing spoke; a socket that was removed may be added again, as a new connection; a socket that is already
     * closed is removed again at once. {@code onDisconnection} of a connection never runs before its
     * {@code onConnection} has returned, even if the socket closes meanwhile.
     *
     * @param socket the open socket
     * @return the spoke event target of the connection
     */
    SpokeEventTarget addConnection(RawSocket socket);

    /**
     * Forgets a connection: removes it from every topic, detaches its listener and calls
     * {@link WebSocketServerOptions#onDisconnection() onDisconnection} (once per connection, whichever path removes
     * it). Does not close the socket. Removing an unknown or already removed socket does nothing.
     *
     * @param socket the socket
     * @return {@code true} if this call removed the connection
     */
    boolean removeConnection(RawSocket socket);

    /**
     * Sends the event to every connection subscribed to its type, serializing it once. A connection over the
     * backpressure threshold is closed with {@link CloseCodes#SLOW_CONSUMER 1013} instead, and one whose
     * {@link RawSocket#send} throws is closed with {@link CloseCodes#INTERNAL_ERROR 1011}; either is removed.
     *
     * @param event the event
     * @return {@code true}, always: a slow or failing connection is closed and removed as a side effect, and the
     *     other subscribers still receive the event
     * @throws IllegalArgumentException if the hub's mapper cannot serialize the payload (nothing is sent then)
     */
    @Override
    boolean dispatchEvent(Event event);

    /**
     * Whether the topic's subscribers on this node can take more now: none of them is backed up, that is, found above
     * the {@linkplain FlowControlOptions#highWaterMark() high-water mark} by a send and not yet back at the low-water
     * mark. Subscribers that did not drain within the {@linkplain FlowControlOptions#drainTimeout() drain timeout}
     * are ignored (they are left to the slow-consumer rule). For application code that publishes in bursts (a replay,
     * a Kafka consumer catching up), so that it can slow down before the hub has to close anyone; events from spokes
     * are throttled by the hub itself. {@link #dispatchEvent} does not consult it: it never blocks and never refuses.
     *
     * <p>Thread-safe and non-blocking: one volatile read while no subscriber of any topic is backed up, else a look at
     * each backed-up subscriber (never at every subscriber of the topic). Always {@code true} with flow control
     * {@linkplain FlowControlOptions#off() off}. Subscribers on other nodes of a cluster do not count.
     *
     * @param topic the topic
     * @return {@code true} if no subscriber of the topic is backed up
     */
    boolean hasCapacity(String topic);

    /**
     * A stage that completes once the topic {@link #hasCapacity has capacity}: already complete if it has now, else
     * completed by the hub's check that finds it (every {@linkplain FlowControlOptions#checkInterval() check interval},
     * on the {@link TimeSource}'s thread; dependent actions that do more than a little should run {@code *Async}).
     * It completes within about the drain timeout even if a subscriber never reads again, and never exceptionally. No
     * thread waits for it; the stage cannot be completed or cancelled by the caller.
     *
     * <p>A Kafka listener, for one, pauses its consumer while the topic's subscribers catch up:
     * <pre>{@code
     * hub.dispatchEvent(Event.of("prices", record.value()));
     * if (!hub.hasCapacity("prices")) {
     *     consumer.pause(consumer.assignment());
     *     hub.awaitCapacity("prices").thenRun(() -> resumeRequested.set(true));
     * }
     * // in the poll loop, on the consumer's own thread (KafkaConsumer is not thread-safe):
     * if (resumeRequested.getAndSet(false)) {
     *     consumer.resume(consumer.paused());
     * }
     * }</pre>
     *
     * <p>Thread-safe.
     *
     * @param topic the topic
     * @return a stage that completes with {@code null}
     */
    CompletionStage<Void> awaitCapacity(String topic);

    /**
     * Registers a listener for the events of one type that any spoke sends, which is also told the sending spoke.
     * Such listeners run after the spoke's own listeners and together with the {@link #addEventListener plain
     * listeners} of the hub, in registration order. Registering the same listener twice for one type registers it
     * once. Thread-safe.
     *
     * @param type the event type, non-empty
     * @param listener the listener
     * @return a handle that removes this registration
     * @throws IllegalArgumentException if {@code type} is empty
     */
    ListenerRegistration addSpokeEventListener(String type, SpokeEventListener listener);

    /**
     * Removes a listener registered with {@link #addSpokeEventListener}. Thread-safe.
     *
     * @param type the event type the listener was registered for
     * @param listener the listener, compared by identity
     * @return {@code true} if it was registered and is now removed
     */
    boolean removeSpokeEventListener(String type, SpokeEventListener listener);

    /**
     * The number of connections the hub holds now.
     *
     * @return the connection count
     */
    int connectionCount();

    /**
     * The connections the hub holds now.
     *
     * @return an immutable snapshot
     */
    List<SpokeEventTarget> connections();

    /**
     * The number of inbound messages dropped so far because their connection was over the
     * {@linkplain WebSocketServerOptions#inboundRateLimit() inbound rate limit}, over all connections.
     *
     * @return the count since the hub was created
     */
    long droppedInboundMessageCount();

    /**
     * The topics that have subscribers now, each with its subscriber count.
     *
     * @return an immutable snapshot, sorted by topic
     */
    Map<String, Integer> topicSubscriberCounts();

    /**
     * The number of connections subscribed to one topic now: a single look-up, unlike
     * {@link #topicSubscriberCounts()}.
     *
     * @param topic the topic
     * @return the subscriber count, {@code 0} for a topic without subscribers
     */
    int subscriberCount(String topic);

    /**
     * The hub's live statistics: counters of events, ignored messages, closes and denied subscriptions, and gauges of
     * spokes, topics, subscriptions and buffered bytes. The same view for the hub's whole life; always kept, at the
     * cost of one uncontended counter update per dispatch.
     *
     * @return a thread-safe, read-only view
     */
    HubStatistics statistics();
}
