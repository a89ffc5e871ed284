package dev.fanout.client;

/**
 * Whether a (re)subscription picked up where the spoke left off: what an app checks to decide whether to re-fetch a
 * topic's state after a reconnect.
 */
public enum Recovery {

    /**
     * The client asked for nothing to be recovered: a first subscription, or a topic whose events carried no offset
     * (no history on the hub). After a reconnect this means events dispatched while disconnected are lost.
     */
    NOT_REQUESTED,

    /**
     * The hub confirmed ({@code "recovered":true}) that it sends every event missed since the spoke's
     * {@link StreamPosition} before the live ones: nothing was lost.
     */
    RECOVERED,

    /**
     * The client asked to recover but the hub could not prove there is no gap ({@code "recovered":false}, or a hub
     * without history that ignored the request): events may be lost; re-fetch the state.
     */
    NOT_RECOVERED
}
