package dev.fanout.benchmarks.load.stomp;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.web.socket.config.annotation.EnableWebSocketMessageBroker;
import org.springframework.web.socket.config.annotation.StompEndpointRegistry;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;

import dev.fanout.benchmarks.load.server.BenchServerSupport;

/**
 * The STOMP server under test: Spring's simple broker on {@code /topic} at the WebSocket endpoint {@code /stomp}, with
 * Boot's defaults. The publisher sends {@code SEND} frames straight to {@code /topic/bench}. The fanout starter is on
 * the same class path (both servers run from one) and is switched off with {@code fanout.enabled=false}.
 */
@SpringBootApplication
@EnableWebSocketMessageBroker
@Import(BenchServerSupport.class)
public class StompBenchApplication implements WebSocketMessageBrokerConfigurer {

    /**
     * Starts the STOMP server.
     *
     * @param args Spring Boot arguments, e.g. {@code --server.port=0 --bench.port-file=/tmp/port}
     */
    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(StompBenchApplication.class);
        application.setDefaultProperties(Map.of("fanout.enabled", "false"));
        application.run(args);
    }

    @Override
    public void registerStompEndpoints(StompEndpointRegistry registry) {
        registry.addEndpoint("/stomp");
    }

    @Override
    public void configureMessageBroker(MessageBrokerRegistry registry) {
        registry.enableSimpleBroker("/topic");
    }
}
