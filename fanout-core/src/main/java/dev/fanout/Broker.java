package dev.fanout;

import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Carries this node's dispatches to the other nodes of a cluster and theirs to this node, so that N hubs behind a
 * load balancer act as one. The hub is the broker's only caller: it {@linkplain #attach attaches} itself once, hands
 * over every dispatch as an already serialized frame, and says when a topic gains its first local subscriber and
 * when its last one leaves. The broker calls back through {@link Node}.
 *
 * <p><b>Thread safety.</b> Every method may be called from any number of threads at once; none may block on the
 * network: {@link #publish} and {@link #subscribe} are called on the hub's dispatching and inbound threads.
 *
 * <p>{@link #local()} is the default: a single node, nothing leaves the JVM. A hub built with it takes none of the
 * broker's code paths.
 *
 * @see WebSocketServerOptions#broker()
 */
public interface Broker extends AutoCloseable {

    /**
     * The broker of a single node: publishes nowhere, is always {@link BrokerState#UP UP}.
     *
     * @return the local broker, one shared instance
     */
    static Broker local() {
        return LocalBroker.INSTANCE;
    }

    /**
     * Connects the broker to its hub and starts it (connecting to a remote service in the background, if any). Called
     * once, by the hub's constructor.
     *
     * @param node the hub, as the broker sees it
     * @throws IllegalStateException if the broker is already attached to a hub, or closed
     */
    void attach(Node node);

    /**
     * Sends a dispatch to the other nodes. Returns at once: a broker that cannot send now (its service is slow or
     * down) drops the frame and counts it; it never blocks and never throws.
     *
     * @param topic the event type the frame was dispatched to
     * @param frame the serialized event, sent as is to the subscribers on the other nodes
     */
    void publish(String topic, String frame);

    /**
     * Says that this node needs the topic's dispatches from the other nodes. Idempotent: the hub calls it when a
     * topic gains its first local subscriber, and may call it again to learn when the subscription is effective.
     *
     * @param topic the topic
     * @return a stage that completes when the broker's service confirmed this node's subscription; already complete
     *     when the node was subscribed already, for the local broker, and while the broker is
     *     {@link BrokerState#DOWN DOWN} (the subscription is effective locally then, and is restored when the service is
     *     back). It never completes exceptionally.
     */
    CompletionStage<Void> subscribe(String topic);

    /**
     * When this node's subscription to the topic is effective: what an acknowledgement of a spoke's subscribe waits
     * for. The hub calls it after it subscribed a spoke, whether or not that spoke was the topic's first local
     * subscriber. By default the same as {@link #subscribe}, which is idempotent; a broker that counts
     * {@code subscribe} calls overrides it.
     *
     * @param topic the topic
     * @return a stage with the same meaning as the one {@link #subscribe} returns; it never completes exceptionally
     */
    default CompletionStage<Void> subscription(String topic) {
        return subscribe(topic);
    }

    /**
     * Says that the topic's last local subscriber left. The broker waits a while (so that a spoke resubscribing at
     * once costs nothing), asks {@link Node#hasLocalSubscribers} again, and only then unsubscribes.
     *
     * @param topic the topic
     */
    void unsubscribe(String topic);

    /**
     * The broker's state now.
     *
     * @return {@link BrokerState#UP UP} while dispatches travel between nodes
     */
    BrokerState state();

    /**
     * The broker's figures for monitoring (frames published, received and dropped, the publish-to-receive lag).
     * Returns at once, without I/O.
     *
     * @return a live, thread-safe view; {@link BrokerStatistics#NONE} for a broker that keeps no figures
     */
    default BrokerStatistics statistics() {
        return BrokerStatistics.NONE;
    }

    /**
     * Unsubscribes, closes the broker's connections and stops its threads. Idempotent. Afterwards the broker publishes
     * nothing and delivers nothing.
     */
    @Override
    void close();

    /**
     * The hub, as its broker sees it. Thread-safe; every method returns at once.
     */
    interface Node {

        /**
         * Sends a frame received from another node to this node's subscribers of the topic, as is: it is neither
         * parsed nor re-encoded.
         *
         * @param topic the topic the frame was dispatched to
         * @param frame the serialized event
         */
        void deliver(String topic, String frame);

        /**
         * Whether the topic has local subscribers now: the broker asks before it unsubscribes.
         *
         * @param topic the topic
         * @return {@code true} if at least one local spoke is subscribed
         */
        boolean hasLocalSubscribers(String topic);

        /**
         * The topics that have local subscribers now: what the broker subscribes to after it (re)connects.
         *
         * @return an immutable snapshot
         */
        Set<String> localTopics();

        /**
         * Reports a change of the broker's state; the hub passes it to
         * {@link WebSocketServerOptions#onBrokerStateChange()}.
         *
         * @param state the new state
         */
        void brokerStateChanged(BrokerState state);
    }
}
