package dev.fanout.client;

import java.net.URI;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import dev.fanout.CloseCodes;
import dev.fanout.Event;
import dev.fanout.EventListener;
import dev.fanout.ListenerRegistration;
import dev.fanout.TypedEventTarget;
import dev.fanout.client.internal.ReconnectingClient;

/**
 * A spoke's connection to a fanout hub: the Java face of the predecessor's {@code createWebSocketClientEventTarget}.
 * It connects at once, and reconnects by itself after every loss until {@link #close()}.
 *
 * <ul>
 * <li>{@link #subscribe} / {@link #unsubscribe} send {@code __subscribe} / {@code __unsubscribe} with an id, and
 * their futures complete when the hub acknowledges (protocol 1.1). Subscriptions are kept by the client and restored
 * after every reconnect, with recovery from the last offset where the topic has history.</li>
 * <li>{@link #addEventListener} receives the hub's events of a type.</li>
 * <li>{@link #dispatchEvent} sends an event to the hub, or queues it while disconnected.</li>
 * <li>An {@code __error} reply to an event the app dispatched with an id (an application listener on the hub
 * refused it) reaches the listeners of type {@code __error}, as an event with that id and the reply's payload
 * ({@code code}, {@code message}). The client's own requests carry ids starting with {@code fc:}; the app's ids
 * should not.</li>
 * </ul>
 *
 * <p><b>Thread safety.</b> Every method may be called from any thread at any time, and none blocks on the network.
 * Events dispatched by one thread are written in the order they were dispatched.
 *
 * <p><b>Listener calls.</b> Every callback of one client (event listeners, {@link ConnectionStateListener}s,
 * {@link SubscriptionListener}s, and the completion of the futures it returns) runs on its one delivery thread,
 * sequentially, in the order things happened on the connection: the {@code __ack} of a subscription is handled
 * before the topic's first event. Different clients call their listeners concurrently. A listener that throws is
 * logged; the other listeners still run and the connection stays open.
 *
 * <p><b>Flow control.</b> The next message is read from the hub only after the listeners of the current one have
 * returned, so a slow listener slows the hub's writes through TCP instead of growing a queue in this client. A hub
 * with backpressure closes a spoke that falls too far behind with {@link CloseCodes#SLOW_CONSUMER 1013}; the client
 * then reconnects (after a random delay, so that many evicted spokes do not return at once) and resubscribes. Pings
 * are read in turn too: a listener that blocks for longer than the hub's heartbeat timeout gets the connection
 * closed with 1001.
 *
 * <p><b>Reconnects.</b> After every close but {@link #close()} (including a refused handshake or a connect timeout)
 * the client waits a random delay with exponential backoff and full jitter (see
 * {@link WebSocketClientOptions#reconnectBaseDelay()}) and connects again. Events queued while disconnected are
 * written once the subscriptions are restored. A message handed to the network is never written again: delivery is
 * at most once, and after {@link CloseCodes#MESSAGE_TOO_BIG 1009} the message the hub refused is not resent.
 *
 * <p><b>States.</b> See {@link ConnectionState}; {@link ConnectionState#CLOSED} is final.
 */
public interface WebSocketClientEventTarget extends TypedEventTarget, AutoCloseable {

    /**
     * Creates a client with the default options and starts connecting it.
     *
     * @param uri the hub's WebSocket endpoint, e.g. {@code ws://localhost:8080/fanout}
     * @return the client, in state {@link ConnectionState#CONNECTING}
     * @throws IllegalArgumentException if the URI is not an absolute {@code ws:}/{@code wss:} URI
     */
    static WebSocketClientEventTarget connect(URI uri) {
        return connect(WebSocketClientOptions.of(uri));
    }

    /**
     * Creates a client and starts connecting it.
     *
     * @param options the options
     * @return the client, in state {@link ConnectionState#CONNECTING}
     */
    static WebSocketClientEventTarget connect(WebSocketClientOptions options) {
        WebSocketClientEventTarget client = create(options);
        client.start();
        return client;
    }

    /**
     * Creates a client that does not connect until {@link #start()}: register listeners and subscriptions first to
     * see every transition, from the first {@link ConnectionState#CONNECTING} on. It owns two daemon threads (delivery
     * and timer) until {@link #close()}.
     *
     * @param options the options
     * @return the client, in state {@link ConnectionState#NEW}
     */
    static WebSocketClientEventTarget create(WebSocketClientOptions options) {
        return ReconnectingClient.create(options);
    }

    /**
     * Starts the first connection attempt. Does nothing unless the state is {@link ConnectionState#NEW}.
     */
    void start();

    /**
     * Subscribes to a topic: the client keeps it until {@link #unsubscribe}, a refusal, or {@link #close()}, and
     * restores it after every reconnect. Sent at once when open, otherwise on the next open. Subscribing to a topic
     * already subscribed or pending returns the same future.
     *
     * @param topic the topic, valid by the hub's rule: non-empty, no whitespace, control or invisible format
     *     characters, no unpaired surrogates, not starting with {@code __} (the hub checks the length)
     * @return completes with the hub's {@code __ack} ({@link SubscriptionAck#resubscription()} {@code false}); fails
     *     with {@link HubErrorException} if the hub refused (the topic is then dropped), {@link AckTimeoutException} if
     *     it did not answer in time (the topic stays subscribed), {@link ClientClosedException} if the client was
     *     closed first, or {@link java.util.concurrent.CancellationException} if {@link #unsubscribe} came first
     * @throws IllegalArgumentException if {@code topic} is not a valid topic
     */
    default CompletableFuture<SubscriptionAck> subscribe(String topic) {
        return subscribe(topic, SubscribeOptions.DEFAULT);
    }

    /**
     * Subscribes to a topic with options, for example {@link SubscribeOptions#latestEvent()} to receive the topic's
     * latest kept event at once (a snapshot such as a price). Otherwise as {@link #subscribe(String)}: the options
     * of the call that adds the topic apply to it and to every resubscription after a reconnect; a call for a topic
     * already subscribed or pending returns the same future and leaves its options as they were.
     *
     * @param topic the topic, valid by the hub's rule (see {@link #subscribe(String)})
     * @param options what to ask of the hub besides the live events
     * @return completes with the hub's {@code __ack}; fails as {@link #subscribe(String)} does
     * @throws IllegalArgumentException if {@code topic} is not a valid topic
     * @throws NullPointerException if {@code options} is {@code null}
     */
    CompletableFuture<SubscriptionAck> subscribe(String topic, SubscribeOptions options);

    /**
     * Unsubscribes from a topic; the client stops restoring it. Unsubscribing a topic not subscribed is acknowledged
     * too.
     *
     * @param topic the topic
     * @return completes when the hub acknowledged, or at once when disconnected (a new connection has no
     *     subscriptions); fails as {@link #subscribe} does
     * @throws IllegalArgumentException if {@code topic} is not a valid topic
     */
    CompletableFuture<Void> unsubscribe(String topic);

    /**
     * Registers a listener for the hub's events of one type. Events are handed to the listeners of their
     * {@link Event#type()}; {@link Event#payloadAs} converts with {@link WebSocketClientOptions#jsonMapper()}.
     *
     * @param type the event type (topic), non-empty
     * @param listener the listener
     * @return a handle that removes this registration
     */
    @Override
    ListenerRegistration addEventListener(String type, EventListener listener);

    /**
     * Sends an event to the hub: written at once when open, otherwise queued (up to
     * {@link WebSocketClientOptions#maxQueuedEvents()}) and written after the next open.
     *
     * @param event the event; its type must be a valid topic
     * @return {@code true} if written or queued, {@code false} if rejected because the queue is full or the client is
     *     closed (counted by {@link #rejectedEventCount()})
     * @throws IllegalArgumentException if the type is not a valid topic, or the payload cannot be serialized
     */
    @Override
    boolean dispatchEvent(Event event);

    /**
     * Registers a listener for the connection's state transitions.
     *
     * @param listener the listener
     * @return a handle that removes it
     */
    ListenerRegistration addStateListener(ConnectionStateListener listener);

    /**
     * Registers a listener for the outcome of each resubscription after a reconnect.
     *
     * @param listener the listener
     * @return a handle that removes it
     */
    ListenerRegistration addSubscriptionListener(SubscriptionListener listener);

    /**
     * The connection state now.
     *
     * @return the state
     */
    ConnectionState state();

    /**
     * The topics the client keeps subscribed (acknowledged or pending).
     *
     * @return an immutable snapshot
     */
    Set<String> subscriptions();

    /**
     * Where the client is in a topic's history, for hubs that keep history (events carrying {@code "offset"}).
     *
     * @param topic the topic
     * @return the position, or empty if the topic's events carried no offset
     */
    Optional<StreamPosition> position(String topic);

    /**
     * The number of events waiting to be written.
     *
     * @return the queue length, {@code 0} or more
     */
    int queuedEventCount();

    /**
     * The number of events {@link #dispatchEvent} rejected so far, because the queue was full or the client closed.
     *
     * @return the count
     */
    long rejectedEventCount();

    /**
     * Closes the client for good and returns without waiting: sends a normal close (1000) to the hub, drops the
     * queued events, fails pending futures with {@link ClientClosedException}, and moves to
     * {@link ConnectionState#CLOSED} (its state listeners are told; then the delivery thread ends). Idempotent.
     */
    @Override
    void close();
}
