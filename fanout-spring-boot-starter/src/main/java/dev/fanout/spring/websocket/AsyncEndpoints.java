package dev.fanout.spring.websocket;

import java.time.Duration;

import org.springframework.util.ClassUtils;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;

import dev.fanout.spring.websocket.jetty.JettyAsyncEndpoint;
import dev.fanout.spring.websocket.tomcat.TomcatAsyncEndpoint;

/**
 * Picks the {@link AsyncEndpoint} implementation for a session from the container behind it: Tomcat
 * ({@link TomcatAsyncEndpoint}) or Jetty 12 ({@link JettyAsyncEndpoint}). A container's classes are only touched when
 * its WebSocket implementation is on the class path.
 */
final class AsyncEndpoints {

    /** What the failure for any other container says the starter supports. */
    static final String SUPPORTED = "fanout supports Tomcat (spring-boot-starter-tomcat) and Jetty 12 "
            + "(spring-boot-starter-jetty) as servlet containers";

    private static final ClassLoader CLASS_LOADER = AsyncEndpoints.class.getClassLoader();

    private static final boolean TOMCAT_PRESENT = ClassUtils.isPresent("org.apache.tomcat.websocket.WsSession",
            CLASS_LOADER);

    private static final boolean JETTY_PRESENT = ClassUtils.isPresent(
            "org.eclipse.jetty.ee11.websocket.jakarta.common.JakartaWebSocketSession", CLASS_LOADER);

    private AsyncEndpoints() {
    }

    /**
     * The endpoint of a session.
     *
     * @param session the session
     * @param sendStallTimeout the send-stall timeout, which bounds the container's blocking writes
     * @return the endpoint
     * @throws IllegalArgumentException if no implementation supports the session's container; the message names
     *     the session and the containers that are supported
     */
    static AsyncEndpoint of(WebSocketSession session, Duration sendStallTimeout) {
        if (TOMCAT_PRESENT && TomcatAsyncEndpoint.supports(session)) {
            return TomcatAsyncEndpoint.of(session, sendStallTimeout);
        }
        if (JETTY_PRESENT && JettyAsyncEndpoint.supports(session)) {
            return JettyAsyncEndpoint.of(session, sendStallTimeout);
        }
        throw new IllegalArgumentException(SUPPORTED + "; this WebSocket session is a " + describe(session));
    }

    private static String describe(WebSocketSession session) {
        if (session instanceof NativeWebSocketSession nativeSession) {
            Object nativeType = nativeSession.getNativeSession();
            return session.getClass().getName() + " over "
                    + ((nativeType != null) ? nativeType.getClass().getName() : "no native session");
        }
        return session.getClass().getName();
    }
}
