package dev.fanout.spring.websocket;

import java.net.InetSocketAddress;
import java.security.Principal;

import org.jspecify.annotations.Nullable;
import org.springframework.web.socket.WebSocketSession;

/**
 * What is known about a connection from its handshake, whatever the container.
 *
 * @param id the WebSocket session id
 * @param principal the user authenticated at the handshake, or {@code null}
 * @param remoteAddress the spoke's address, or {@code null} if the container does not know it
 */
record SessionInfo(String id, @Nullable Principal principal, @Nullable InetSocketAddress remoteAddress) {

    static SessionInfo of(WebSocketSession session) {
        return new SessionInfo(session.getId(), session.getPrincipal(), session.getRemoteAddress());
    }
}
