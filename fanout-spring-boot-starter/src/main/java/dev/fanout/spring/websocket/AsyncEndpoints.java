package dev.fanout.spring.websocket;

import java.time.Duration;

import org.springframework.util.ClassUtils;
import org.springframework.web.socket.WebSocketSession;

import dev.fanout.spring.websocket.tomcat.TomcatAsyncEndpoint;

/**
 * Picks the {@link AsyncEndpoint} implementation for a session from the container behind it. Tomcat's classes are
 * only touched when Tomcat's WebSocket implementation is on the class path.
 */
final class AsyncEndpoints {

    private static final boolean TOMCAT_PRESENT = ClassUtils.isPresent("org.apache.tomcat.websocket.WsSession",
            AsyncEndpoints.class.getClassLoader());

    private AsyncEndpoints() {
    }

    /**
     * The endpoint of a session.
     *
     * @param session the session
     * @param sendStallTimeout the send-stall timeout, which bounds the container's blocking writes
     * @return the endpoint
     * @throws IllegalArgumentException if no implementation supports the session's container
     */
    static AsyncEndpoint of(WebSocketSession session, Duration sendStallTimeout) {
        if (TOMCAT_PRESENT && TomcatAsyncEndpoint.supports(session)) {
            return TomcatAsyncEndpoint.of(session, sendStallTimeout);
        }
        throw new IllegalArgumentException(
                "fanout needs a Tomcat WebSocket session; got " + session.getClass().getName());
    }
}
