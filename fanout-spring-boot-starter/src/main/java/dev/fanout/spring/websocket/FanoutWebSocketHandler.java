package dev.fanout.spring.websocket;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;

import dev.fanout.SpokeEventTarget;
import dev.fanout.WebSocketServerEventTarget;
import dev.fanout.WebSocketServerOptions;
import dev.fanout.spring.event.SpokeEventPublisher;

/**
 * The Spring {@link org.springframework.web.socket.WebSocketHandler} of the fanout endpoint: adapts each
 * {@link WebSocketSession} to a {@link WebSocketSessionRawSocket}, hands it to the hub and feeds it the session's
 * messages, pongs and close. It publishes the application events of every session ({@link SpokeEventPublisher}):
 * connected once the hub took the session over, disconnected once the hub forgot it, and slow-consumer closes; so
 * they do not depend on which hub or options bean the application uses.
 *
 * <p>Thread-safe; the container calls it for many sessions at once, and sequentially for one session.
 */
public final class FanoutWebSocketHandler extends AbstractWebSocketHandler {

    private static final Logger logger = LoggerFactory.getLogger(FanoutWebSocketHandler.class);

    private static final String SOCKET_ATTRIBUTE = FanoutWebSocketHandler.class.getName() + ".socket";

    private static final String REPORTING_ATTRIBUTE = FanoutWebSocketHandler.class.getName() + ".reporting";

    private static final CloseStatus UNSUPPORTED_SERVER = CloseStatus.SERVER_ERROR.withReason("unsupported server");

    private final WebSocketServerEventTarget hub;

    private final SessionSupervisor supervisor;

    private final WebSocketServerOptions.BackpressureCallback onStall;

    private final SpokeEventPublisher events;

    private final FrameSizer sizer = new FrameSizer();

    /** Whether a session of an unsupported container was reported at WARN already. */
    private final AtomicBoolean unsupportedReported = new AtomicBoolean();

    /**
     * Creates the handler.
     *
     * @param hub the hub that takes every connection over
     * @param supervisor watches the connections for stalls and silence, and runs their sends
     * @param onStall called when a send to a spoke stalls past {@link SocketSettings#sendStallTimeout()}, before the
     *     spoke is closed with 1013 (the hub's {@link WebSocketServerOptions#onBackpressure()} fits)
     * @param events publishes each session's connect, disconnect and slow-consumer close as application events
     */
    public FanoutWebSocketHandler(WebSocketServerEventTarget hub, SessionSupervisor supervisor,
            WebSocketServerOptions.BackpressureCallback onStall, SpokeEventPublisher events) {
        this.hub = hub;
        this.supervisor = supervisor;
        this.onStall = onStall;
        this.events = events;
    }

    /**
     * Hands the session to the hub; a session of a container the starter has no {@link AsyncEndpoint} for (neither
     * Tomcat nor Jetty) is closed with 1011 instead, the first one with a WARN naming the supported containers and
     * the later ones at DEBUG, without a stack trace.
     */
    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
        AsyncEndpoint endpoint;
        try {
            endpoint = AsyncEndpoints.of(session, this.supervisor.settings().sendStallTimeout());
        }
        catch (IllegalArgumentException ex) {
            refuseUnsupported(session, ex.getMessage());
            return;
        }
        WebSocketSessionRawSocket socket = new WebSocketSessionRawSocket(SessionInfo.of(session), endpoint,
                this.supervisor.runtime(), this.sizer,
                (stalledSocket, bufferedAmount) -> stalled(stalledSocket, session, bufferedAmount));
        session.getAttributes().put(SOCKET_ATTRIBUTE, socket);
        this.supervisor.register(socket);
        SpokeEventTarget spoke = this.hub.addConnection(new SlowConsumerReportingSocket(socket,
                (bufferedAmount) -> slowConsumerClosed(socket, session, bufferedAmount),
                () -> removedByHub(socket, session)));
        socket.attach(spoke);
        this.events.connected(spoke, session);
    }

    /**
     * Takes inbound messages in parts, as the container reads them, so that the container keeps its small default
     * message buffers instead of buffers as large as {@link SocketSettings#maxMessageSize()} for every connection;
     * each socket joins the parts and enforces the limit while joining.
     *
     * @return {@code true}
     */
    @Override
    public boolean supportsPartialMessages() {
        return true;
    }

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message) {
        WebSocketSessionRawSocket socket = socketOf(session);
        if (socket != null) {
            socket.receiveText(message.getPayload(), message.isLast());
        }
    }

    @Override
    protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) {
        WebSocketSessionRawSocket socket = socketOf(session);
        if (socket != null) {
            socket.receiveBinary(message.getPayload(), message.isLast());
        }
    }

    @Override
    protected void handlePongMessage(WebSocketSession session, PongMessage message) {
        WebSocketSessionRawSocket socket = socketOf(session);
        if (socket != null) {
            socket.receivePong();
        }
    }

    @Override
    public void handleTransportError(WebSocketSession session, Throwable exception) {
        logger.debug("Transport error on WebSocket session {}", session.getId(), exception);
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        WebSocketSessionRawSocket socket = socketOf(session);
        if (socket != null) {
            this.supervisor.unregister(socket);
            socket.closedByContainer(status);
        }
    }

    private void refuseUnsupported(WebSocketSession session, String why) {
        if (this.unsupportedReported.compareAndSet(false, true)) {
            logger.warn("{}: WebSocket connections to this server are closed with 1011 (later ones are logged at "
                    + "DEBUG)", why);
        }
        else {
            logger.debug("Closing WebSocket session {} with 1011: {}", session.getId(), why);
        }
        try {
            session.close(UNSUPPORTED_SERVER);
        }
        catch (IOException | RuntimeException ex) {
            logger.debug("Closing WebSocket session {} failed", session.getId(), ex);
        }
    }

    private void stalled(WebSocketSessionRawSocket socket, WebSocketSession session, long bufferedAmount) {
        SpokeEventTarget spoke = socket.spoke();
        if (spoke != null) {
            this.onStall.accept(spoke, spoke.socket(), bufferedAmount);
            this.events.backpressure(spoke, session, bufferedAmount);
        }
    }

    private void removedByHub(WebSocketSessionRawSocket socket, WebSocketSession session) {
        SpokeEventTarget spoke = socket.spoke();
        if (spoke != null) {
            CloseStatus closed = socket.closeStatus();
            this.events.disconnected(spoke, session, (closed != null) ? closed : CloseStatus.NO_STATUS_CODE);
        }
    }

    private void slowConsumerClosed(WebSocketSessionRawSocket socket, WebSocketSession session, long bufferedAmount) {
        SpokeEventTarget spoke = socket.spoke();
        if (spoke != null) {
            this.events.backpressure(spoke, session, bufferedAmount);
        }
    }

    private static @Nullable WebSocketSessionRawSocket socketOf(WebSocketSession session) {
        Object socket = session.getAttributes().get(SOCKET_ATTRIBUTE);
        return (socket instanceof WebSocketSessionRawSocket rawSocket) ? rawSocket : null;
    }
}
