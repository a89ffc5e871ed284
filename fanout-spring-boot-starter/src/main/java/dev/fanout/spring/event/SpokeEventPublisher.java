package dev.fanout.spring.event;

import java.net.InetSocketAddress;
import java.security.Principal;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.web.socket.CloseStatus;

import dev.fanout.RawSocket;
import dev.fanout.SpokeEventTarget;
import dev.fanout.WebSocketServerOptions;
import dev.fanout.spring.websocket.WebSocketSessionRawSocket;

/**
 * The bridge from the hub's callbacks to Spring application events: its methods fit
 * {@link WebSocketServerOptions.ConnectionCallback} and {@link WebSocketServerOptions.BackpressureCallback} and
 * publish {@link SpokeConnectedEvent}, {@link SpokeDisconnectedEvent} and {@link SpokeBackpressureEvent}.
 *
 * <p>Thread-safe. A listener that throws is logged; the exception never reaches the hub or the connection.
 */
public final class SpokeEventPublisher {

    private static final Logger logger = LoggerFactory.getLogger(SpokeEventPublisher.class);

    private final ApplicationEventPublisher publisher;

    /**
     * Creates the bridge.
     *
     * @param publisher where the events go
     */
    public SpokeEventPublisher(ApplicationEventPublisher publisher) {
        this.publisher = Objects.requireNonNull(publisher, "publisher");
    }

    /**
     * Publishes a {@link SpokeConnectedEvent}.
     *
     * @param spoke the spoke
     * @param socket its socket
     */
    public void connected(SpokeEventTarget spoke, RawSocket socket) {
        Origin origin = Origin.of(socket);
        publish(new SpokeConnectedEvent(spoke, origin.sessionId(), origin.principal(), origin.remoteAddress()));
    }

    /**
     * Publishes a {@link SpokeDisconnectedEvent} with the socket's close status (1005, no status, if unknown).
     *
     * @param spoke the spoke
     * @param socket its socket
     */
    public void disconnected(SpokeEventTarget spoke, RawSocket socket) {
        Origin origin = Origin.of(socket);
        CloseStatus status = (socket instanceof WebSocketSessionRawSocket sessionSocket
                && sessionSocket.closeStatus() != null) ? sessionSocket.closeStatus() : CloseStatus.NO_STATUS_CODE;
        publish(new SpokeDisconnectedEvent(spoke, origin.sessionId(), origin.principal(), origin.remoteAddress(),
                Objects.requireNonNull(status)));
    }

    /**
     * Publishes a {@link SpokeBackpressureEvent}.
     *
     * @param spoke the spoke
     * @param socket its socket
     * @param bufferedAmount the bytes buffered for it
     */
    public void backpressure(SpokeEventTarget spoke, RawSocket socket, long bufferedAmount) {
        Origin origin = Origin.of(socket);
        publish(new SpokeBackpressureEvent(spoke, origin.sessionId(), origin.principal(), origin.remoteAddress(),
                bufferedAmount));
    }

    private void publish(SpokeEvent event) {
        try {
            this.publisher.publishEvent(event);
        }
        catch (RuntimeException ex) {
            logger.warn("A listener of {} threw; the connection is not affected", event, ex);
        }
    }

    private record Origin(String sessionId, @Nullable Principal principal, @Nullable InetSocketAddress remoteAddress) {

        static Origin of(RawSocket socket) {
            if (socket instanceof WebSocketSessionRawSocket sessionSocket) {
                return new Origin(sessionSocket.id(), sessionSocket.principal(), sessionSocket.remoteAddress());
            }
            return new Origin(socket.toString(), null, null);
        }
    }
}
