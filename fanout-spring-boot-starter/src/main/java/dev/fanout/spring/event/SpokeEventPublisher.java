package dev.fanout.spring.event;

import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;

import dev.fanout.SpokeEventTarget;

/**
 * Publishes the Spring application events of the hub's connections, {@link SpokeConnectedEvent},
 * {@link SpokeDisconnectedEvent} and {@link SpokeBackpressureEvent}, from what the WebSocket handler knows of each
 * session. The starter's handler calls it for every session, whichever hub or options bean the application defines.
 *
 * <p>Thread-safe. A listener that throws is logged; the exception never reaches the hub or the connection.
 */
public final class SpokeEventPublisher {

    private static final Logger logger = LoggerFactory.getLogger(SpokeEventPublisher.class);

    private final ApplicationEventPublisher publisher;

    /**
     * Creates the publisher.
     *
     * @param publisher where the events go
     */
    public SpokeEventPublisher(ApplicationEventPublisher publisher) {
        this.publisher = Objects.requireNonNull(publisher, "publisher");
    }

    /**
     * Publishes a {@link SpokeConnectedEvent}.
     *
     * @param spoke the hub's spoke of the session
     * @param session the session
     */
    public void connected(SpokeEventTarget spoke, WebSocketSession session) {
        publish(new SpokeConnectedEvent(spoke, session.getId(), session.getPrincipal(), session.getRemoteAddress()));
    }

    /**
     * Publishes a {@link SpokeDisconnectedEvent}.
     *
     * @param spoke the hub's spoke of the session
     * @param session the session
     * @param status how the connection closed
     */
    public void disconnected(SpokeEventTarget spoke, WebSocketSession session, CloseStatus status) {
        publish(new SpokeDisconnectedEvent(spoke, session.getId(), session.getPrincipal(), session.getRemoteAddress(),
                status));
    }

    /**
     * Publishes a {@link SpokeBackpressureEvent}.
     *
     * @param spoke the hub's spoke of the session
     * @param session the session
     * @param bufferedAmount the bytes buffered for it
     */
    public void backpressure(SpokeEventTarget spoke, WebSocketSession session, long bufferedAmount) {
        publish(new SpokeBackpressureEvent(spoke, session.getId(), session.getPrincipal(), session.getRemoteAddress(),
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
}
