package dev.fanout.spring.endtoend;

import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

import dev.fanout.Event;
import dev.fanout.SpokeEventTarget;
import dev.fanout.spring.event.SpokeConnectedEvent;
import dev.fanout.spring.event.SpokeEvent;
import dev.fanout.spring.listener.FanoutListener;
import dev.fanout.spring.websocket.FanoutHandshakeHandler;

/**
 * The application the end-to-end tests run: the starter plus a {@code @FanoutListener} bean, a recorder of spoke
 * application events, an application event listener that throws for users whose name starts with "thrower", and a
 * handshake interceptor that authenticates the user named in the {@code X-User} header.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class FanoutTestApplication {

    @Bean
    ChatListener chatListener() {
        return new ChatListener();
    }

    @Bean
    SpokeEventRecorder spokeEventRecorder() {
        return new SpokeEventRecorder();
    }

    @Bean
    ThrowingListener throwingListener() {
        return new ThrowingListener();
    }

    @Bean
    HandshakeInterceptor userHeaderAuthentication() {
        return new HandshakeInterceptor() {

            @Override
            public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response,
                    WebSocketHandler wsHandler, Map<String, Object> attributes) {
                String user = request.getHeaders().getFirst("X-User");
                if (user != null) {
                    attributes.put(FanoutHandshakeHandler.PRINCIPAL_ATTRIBUTE, (Principal) () -> user);
                }
                return true;
            }

            @Override
            public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response,
                    WebSocketHandler wsHandler, Exception exception) {
            }
        };
    }

    record ChatMessage(String text) {
    }

    record ReceivedChat(ChatMessage message, SpokeEventTarget sender, Event event) {
    }

    static final class ChatListener {

        final List<ReceivedChat> received = new CopyOnWriteArrayList<>();

        @FanoutListener("chat")
        void onChat(ChatMessage message, SpokeEventTarget sender, Event event) {
            this.received.add(new ReceivedChat(message, sender, event));
            sender.dispatchEvent(Event.of("chat-ack", event.id(), message.text().toUpperCase()));
        }

        final AtomicInteger booms = new AtomicInteger();

        @FanoutListener("boom")
        void onBoom(Event event) {
            this.booms.incrementAndGet();
            throw new IllegalStateException("listener failure on purpose");
        }
    }

    static final class SpokeEventRecorder {

        final List<SpokeEvent> events = new CopyOnWriteArrayList<>();

        @EventListener
        @Order(Ordered.HIGHEST_PRECEDENCE)
        void on(SpokeEvent event) {
            this.events.add(event);
        }

        <E extends SpokeEvent> List<E> of(Class<E> type, String user) {
            return this.events.stream()
                .filter(type::isInstance)
                .map(type::cast)
                .filter((event) -> event.getPrincipal() != null && event.getPrincipal().getName().equals(user))
                .toList();
        }
    }

    static final class ThrowingListener {

        final List<String> threwFor = new CopyOnWriteArrayList<>();

        @EventListener
        @Order(Ordered.LOWEST_PRECEDENCE)
        void on(SpokeConnectedEvent event) {
            if (event.getPrincipal() == null || !event.getPrincipal().getName().startsWith("thrower")) {
                return;
            }
            this.threwFor.add(event.getPrincipal().getName());
            throw new IllegalStateException("application event listener failure on purpose");
        }
    }
}
