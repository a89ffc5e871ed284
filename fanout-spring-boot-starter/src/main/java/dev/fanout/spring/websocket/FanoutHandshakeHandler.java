package dev.fanout.spring.websocket;

import java.security.Principal;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.standard.StandardWebSocketUpgradeStrategy;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

/**
 * The handshake handler of the fanout endpoint: the spoke's principal is the authenticated user of the upgrade
 * request (e.g. from Spring Security) or, failing that, a {@link Principal} that a
 * {@link org.springframework.web.socket.server.HandshakeInterceptor} stored in the handshake attributes under
 * {@link #PRINCIPAL_ATTRIBUTE}: the hook for token-based authentication at the handshake.
 *
 * <p>The upgrade is always the standard Jakarta WebSocket one ({@link StandardWebSocketUpgradeStrategy}), on Tomcat
 * and on Jetty alike, where Spring's default would take Jetty's native API whenever Jetty's WebSocket server is on
 * the class path: so that every session is a {@code StandardWebSocketSession} whose inbound messages arrive in parts
 * (the starter joins them and enforces {@code fanout.max-message-size} while joining, where Spring's Jetty adapter
 * only passes whole messages, buffered by Jetty up to its own limit), and so that the session type follows the
 * running server, not the class path.
 */
public final class FanoutHandshakeHandler extends DefaultHandshakeHandler {

    /**
     * Creates the handler with the standard Jakarta WebSocket upgrade.
     */
    public FanoutHandshakeHandler() {
        super(new StandardWebSocketUpgradeStrategy());
    }

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
