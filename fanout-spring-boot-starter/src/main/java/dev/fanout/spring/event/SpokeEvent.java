package dev.fanout.spring.event;

import java.net.InetSocketAddress;
import java.security.Principal;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEvent;

import dev.fanout.SpokeEventTarget;

/**
 * Something that happened to one spoke's connection, published as a Spring application event. Its source is the
 * spoke's {@link SpokeEventTarget}.
 *
 * <p>Immutable. Listeners run on the thread that caused the event (a container or dispatching thread) and must not
 * block; one that throws is logged and does not affect the connection.
 */
public abstract class SpokeEvent extends ApplicationEvent {

    private final String sessionId;

    private final transient @Nullable Principal principal;

    private final transient @Nullable InetSocketAddress remoteAddress;

    /**
     * Creates the event.
     *
     * @param spoke the spoke's event target
     * @param sessionId the id of the spoke's WebSocket session
     * @param principal the user authenticated at the handshake, or {@code null}
     * @param remoteAddress the spoke's address, or {@code null} if unknown
     */
    protected SpokeEvent(SpokeEventTarget spoke, String sessionId, @Nullable Principal principal,
            @Nullable InetSocketAddress remoteAddress) {
        super(spoke);
        this.sessionId = Objects.requireNonNull(sessionId, "sessionId");
        this.principal = principal;
        this.remoteAddress = remoteAddress;
    }

    /**
     * The spoke's event target: dispatch to it to reach this spoke alone.
     *
     * @return the spoke
     */
    public SpokeEventTarget getSpoke() {
        return (SpokeEventTarget) getSource();
    }

    /**
     * The id of the spoke's WebSocket session.
     *
     * @return the session id
     */
    public String getSessionId() {
        return this.sessionId;
    }

    /**
     * The user authenticated at the handshake.
     *
     * @return the principal, or {@code null} for an anonymous spoke
     */
    public @Nullable Principal getPrincipal() {
        return this.principal;
    }

    /**
     * The spoke's address.
     *
     * @return the remote address, or {@code null} if the container does not know it
     */
    public @Nullable InetSocketAddress getRemoteAddress() {
        return this.remoteAddress;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[session=" + this.sessionId + ", principal="
                + ((this.principal != null) ? this.principal.getName() : null) + ", remoteAddress=" + this.remoteAddress
                + "]";
    }
}
