package dev.fanout.spring.shutdown;

import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * Refuses the WebSocket handshake with 503 (Service Unavailable) and {@code Retry-After: 1} once the
 * {@link SpokeDrain} has started, so that a spoke connects to another node instead of to one that is shutting down.
 * Thread-safe.
 */
public final class DrainingHandshakeInterceptor implements HandshakeInterceptor {

    private final SpokeDrain drain;

    /**
     * Creates the interceptor.
     *
     * @param drain the drain whose state decides
     */
    public DrainingHandshakeInterceptor(SpokeDrain drain) {
        this.drain = drain;
    }

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
            Map<String, Object> attributes) {
        if (this.drain.isAcceptingSpokes()) {
            return true;
        }
        response.setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
        response.getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
        return false;
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
            @Nullable Exception exception) {
    }
}
