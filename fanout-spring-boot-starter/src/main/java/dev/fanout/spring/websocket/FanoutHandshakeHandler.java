package dev.fanout.spring.websocket;

import java.security.Principal;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

/**
 * The handshake handler of the fanout endpoint: the spoke's principal is the authenticated user of the upgrade
 * request (e.g. from Spring Security) or, failing that, a {@link Principal} that a
 * {@link org.springframework.web.socket.server.HandshakeInterceptor} stored in the handshake attributes under
 * {@link #PRINCIPAL_ATTRIBUTE}: the hook for token-based authentication at the handshake.
 */
public final class FanoutHandshakeHandler extends DefaultHandshakeHandler {

    /** The handshake attribute a {@code HandshakeInterceptor} may set to the {@link Principal} of the spoke. */
    public static final String PRINCIPAL_ATTRIBUTE = "dev.fanout.spring.principal";

    @Override
    protected @Nullable Principal determineUser(ServerHttpRequest request, WebSocketHandler wsHandler,
            Map<String, Object> attributes) {
        Principal user = super.determineUser(request, wsHandler, attributes);
        if (user != null) {
            return user;
        }
        Object attribute = attributes.get(PRINCIPAL_ATTRIBUTE);
        return (attribute instanceof Principal principal) ? principal : null;
    }
}
