package dev.fanout;

/**
 * The WebSocket close status codes the hub and its adapters use, each with its trigger. The contract for spokes is
 * {@code docs/protocol.md}.
 */
public final class CloseCodes {

    /** 1001 Going Away: the server is shutting down. */
    public static final int GOING_AWAY = 1001;

    /**
     * 1008 Policy Violation: the spoke stayed over the hub's inbound rate limit for longer than allowed (see
     * {@link InboundRateLimit}). Slow down before reconnecting.
     */
    public static final int POLICY_VIOLATION = 1008;

    /** 1009 Message Too Big: the spoke sent a message larger than the hub accepts. */
    public static final int MESSAGE_TOO_BIG = 1009;

    /** 1011 Internal Error: a send to the spoke failed on the server side. */
    public static final int INTERNAL_ERROR = 1011;

    /**
     * 1013 Try Again Later: the spoke read too slowly; more than the backpressure threshold was buffered for it, or a
     * send to it stalled. Reconnect (with backoff) and re-subscribe.
     */
    public static final int SLOW_CONSUMER = 1013;

    private CloseCodes() {
    }
}
