package dev.fanout.spring.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import dev.fanout.WebSocketServerEventTarget;
import dev.fanout.spring.shutdown.DrainingHandshakeInterceptor;
import dev.fanout.spring.shutdown.SpokeDrain;

/**
 * Auto-configuration of the hub's graceful drain at shutdown: a {@link SpokeDrain} that closes the connected spokes
 * with 1001 spread over {@code fanout.shutdown.drain-period} before the web server stops, and a handshake interceptor
 * that refuses new spokes with 503 once the drain started.
 */
@AutoConfiguration(after = FanoutAutoConfiguration.class)
@ConditionalOnBean(WebSocketServerEventTarget.class)
@EnableConfigurationProperties(FanoutProperties.class)
public final class FanoutShutdownAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    SpokeDrain fanoutSpokeDrain(WebSocketServerEventTarget hub, FanoutProperties properties) {
        return new SpokeDrain(hub, properties.getShutdown().getDrainPeriod(), properties.getSendStallTimeout());
    }

    @Bean
    @ConditionalOnMissingBean
    DrainingHandshakeInterceptor fanoutDrainingHandshakeInterceptor(SpokeDrain drain) {
        return new DrainingHandshakeInterceptor(drain);
    }
}
