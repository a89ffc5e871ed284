package dev.fanout.spring.event;

import java.net.InetSocketAddress;
import java.security.Principal;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.springframework.web.socket.CloseStatus;

import dev.fanout.SpokeEventTarget;

/**
 * A spoke's connection left the hub, whatever the cause: the spoke closed it, the hub closed it (e.g. 1013 for a slow
 * consumer), or the transport failed. Published exactly once per connection.
 */
public final class SpokeDisconnectedEvent extends SpokeEvent {

    private final CloseStatus closeStatus;

    /**
     * Creates the event.
     *
     * @param spoke the spoke's event target
     * @param sessionId the id of the spoke's WebSocket session
     * @param principal the user authenticated at the handshake, or {@code null}
     * @param remoteAddress the spoke's address, or {@code null} if unknown
     * @param closeStatus how the connection closed
     */
    public SpokeDisconnectedEvent(SpokeEventTarget spoke, String sessionId, @Nullable Principal principal,
            @Nullable InetSocketAddress remoteAddress, CloseStatus closeStatus) {
        super(spoke, sessionId, principal, remoteAddress);
        this.closeStatus = Objects.requireNonNull(closeStatus, "closeStatus");
    }

    /**
     * How the connection closed: the code and reason of the close frame, 1006 if it dropped without one.
     *
     * @return the close status
     */
    public CloseStatus getCloseStatus() {
        return this.closeStatus;
    }

    @Override
    public String toString() {
        return super.toString() + "[" + this.closeStatus + "]";
    }
}
