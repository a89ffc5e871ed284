package dev.fanout.spring.websocket;

import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.Map;
import java.security.Principal;

import org.jspecify.annotations.Nullable;
import org.springframework.web.socket.WebSocketSession;

/**
 * What is known about a connection from its handshake, whatever the container.
 *
 * @param id the WebSocket session id
 * @param principal the user authenticated at the handshake, or {@code null}
 * @param remoteAddress the spoke's address, or {@code null} if the container does not know it
 * @param attributes the attributes the handshake interceptors put into the session, as an unmodifiable view
 */
record SessionInfo(String id, @Nullable Principal principal, @Nullable InetSocketAddress remoteAddress,
        Map<String, Object> attributes) {

    static SessionInfo of(WebSocketSession session) {
        return new SessionInfo(session.getId(), session.getPrincipal(), session.getRemoteAddress(),
                Collections.unmodifiableMap(session.getAttributes()));
    }
}
