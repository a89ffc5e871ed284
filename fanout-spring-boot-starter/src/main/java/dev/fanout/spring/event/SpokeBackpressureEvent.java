package dev.fanout.spring.event;

import java.net.InetSocketAddress;
import java.security.Principal;

import org.jspecify.annotations.Nullable;

import dev.fanout.SpokeEventTarget;

/**
 * A spoke read too slowly: more than the backpressure threshold was buffered for it, or a send to it stalled past
 * {@code fanout.send-stall-timeout}. Published just before the hub closes it with 1013 (Try Again Later); a
 * {@link SpokeDisconnectedEvent} follows.
 */
public final class SpokeBackpressureEvent extends SpokeEvent {

    private final long bufferedAmount;

    /**
     * Creates the event.
     *
     * @param spoke the spoke's event target
     * @param sessionId the id of the spoke's WebSocket session
     * @param principal the user authenticated at the handshake, or {@code null}
     * @param remoteAddress the spoke's address, or {@code null} if unknown
     * @param bufferedAmount the bytes buffered for the spoke when it was found slow
     */
    public SpokeBackpressureEvent(SpokeEventTarget spoke, String sessionId, @Nullable Principal principal,
            @Nullable InetSocketAddress remoteAddress, long bufferedAmount) {
        super(spoke, sessionId, principal, remoteAddress);
        this.bufferedAmount = bufferedAmount;
    }

    /**
     * The bytes queued or in flight for the spoke when it was found slow.
     *
     * @return the buffered byte count
     */
    public long getBufferedAmount() {
        return this.bufferedAmount;
    }

    @Override
    public String toString() {
        return super.toString() + "[bufferedAmount=" + this.bufferedAmount + "]";
    }
}
