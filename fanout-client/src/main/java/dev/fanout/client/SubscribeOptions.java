package dev.fanout.client;

/**
 * What a subscription asks of the hub besides the topic's live events; immutable. The options of the
 * {@link WebSocketClientEventTarget#subscribe(String, SubscribeOptions) subscribe} that adds a topic apply to it, and
 * to every resubscription after a reconnect, until the topic is unsubscribed or refused.
 *
 * @param latest whether the hub sends the topic's latest kept event right after the {@code __ack}
 *     ({@code "latest":true}, see docs/protocol.md, <em>The latest event at once</em>): a snapshot such as a price,
 *     received at once instead of with the next change. Only a topic with history keeps a latest event; for any other
 *     the hub sends nothing more. After a reconnect a successful recovery sends what was missed (which ends with the
 *     latest event if anything was missed); a failed one sends the latest event
 */
public record SubscribeOptions(boolean latest) {

    /** Live events only: {@code latest} off. */
    public static final SubscribeOptions DEFAULT = new SubscribeOptions(false);

    /**
     * The default options: live events only.
     *
     * @return {@link #DEFAULT}
     */
    public static SubscribeOptions ofDefaults() {
        return DEFAULT;
    }

    /**
     * Asks for the topic's latest kept event at once, then the live events.
     *
     * @return options with {@code latest} on
     */
    public static SubscribeOptions latestEvent() {
        return new SubscribeOptions(true);
    }

    /**
     * A copy with another {@code latest}.
     *
     * @param latest whether the hub sends the topic's latest kept event right after the acknowledgement
     * @return the options
     */
    public SubscribeOptions withLatest(boolean latest) {
        return new SubscribeOptions(latest);
    }
}
