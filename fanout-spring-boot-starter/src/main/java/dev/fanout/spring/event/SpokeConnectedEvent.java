package dev.fanout.spring.event;

import java.net.InetSocketAddress;
import java.security.Principal;

import org.jspecify.annotations.Nullable;

import dev.fanout.SpokeEventTarget;

/**
 * A spoke connected and the hub took its connection over.
 */
public final class SpokeConnectedEvent extends SpokeEvent {

    /**
     * Creates the event.
     *
     * @param spoke the spoke's event target
     * @param sessionId the id of the spoke's WebSocket session
     * @param principal the user authenticated at the handshake, or {@code null}
     * @param remoteAddress the spoke's address, or {@code null} if unknown
     */
    public SpokeConnectedEvent(SpokeEventTarget spoke, String sessionId, @Nullable Principal principal,
            @Nullable InetSocketAddress remoteAddress) {
        super(spoke, sessionId, principal, remoteAddress);
    }
}
