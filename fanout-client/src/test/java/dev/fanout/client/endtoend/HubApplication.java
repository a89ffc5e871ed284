package dev.fanout.client.endtoend;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

import dev.fanout.spring.event.SpokeDisconnectedEvent;

/**
 * The hub the client's end-to-end tests connect to: the starter with its defaults, plus recorders of the close codes
 * of disconnected spokes and of the {@code Authorization} header of each handshake, and a gate that can refuse
 * handshakes.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class HubApplication {

    @Bean
    Disconnections disconnections() {
        return new Disconnections();
    }

    @Bean
    Handshakes handshakes() {
        return new Handshakes();
    }

    @Bean
    HandshakeGate handshakeGate() {
        return new HandshakeGate();
    }

    /**
     * Refuses every handshake while shut, so that a test can keep its clients away from the running hub for as long
     * as it dispatches the events they are to miss. Open unless a test shuts it.
     */
    static final class HandshakeGate implements HandshakeInterceptor {

        private volatile boolean shut;

        void shut() {
            this.shut = true;
        }

        void open() {
            this.shut = false;
        }

        @Override
        public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response,
                WebSocketHandler handler, Map<String, Object> attributes) {
            return !this.shut;
        }

        @Override
        public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                Exception exception) {
        }
    }

    /** The {@code Authorization} header of every handshake, in order ("none" when absent). */
    static final class Handshakes implements HandshakeInterceptor {

        final List<String> authorizations = new CopyOnWriteArrayList<>();

        @Override
        public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response,
                WebSocketHandler handler, Map<String, Object> attributes) {
            String authorization = request.getHeaders().getFirst("Authorization");
            this.authorizations.add((authorization != null) ? authorization : "none");
            return true;
        }

        @Override
        public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                Exception exception) {
        }
    }

    /** The close code of every spoke that disconnected, in order. */
    static final class Disconnections {

        final List<Integer> codes = new CopyOnWriteArrayList<>();

        @EventListener
        void on(SpokeDisconnectedEvent event) {
            this.codes.add(event.getCloseStatus().getCode());
        }
    }
}
