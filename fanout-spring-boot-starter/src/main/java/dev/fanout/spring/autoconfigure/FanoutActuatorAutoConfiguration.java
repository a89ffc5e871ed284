package dev.fanout.spring.autoconfigure;

import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

import dev.fanout.Broker;
import dev.fanout.HubStatistics.CloseCode;
import dev.fanout.WebSocketServerEventTarget;
import dev.fanout.WebSocketServerOptions;
import dev.fanout.spring.actuate.FanoutEndpoint;
import dev.fanout.spring.actuate.FanoutHealthIndicator;
import dev.fanout.spring.actuate.HubBrokerState;
import dev.fanout.spring.actuate.TopicOffsets;
import dev.fanout.spring.metrics.FanoutMetrics;
import dev.fanout.spring.shutdown.SpokeDrain;

/**
 * Auto-configuration of the hub's figures in the tools an operator already uses, each part only when its library is
 * on the class path: Micrometer meters ({@link FanoutMetrics}), the {@code fanout} health indicator and the
 * {@code fanout} Actuator endpoint. Every bean backs off when the application defines its own.
 */
@AutoConfiguration(after = { FanoutAutoConfiguration.class, FanoutShutdownAutoConfiguration.class })
@ConditionalOnBean(WebSocketServerEventTarget.class)
@EnableConfigurationProperties(FanoutProperties.class)
public final class FanoutActuatorAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    HubBrokerState fanoutBrokerState(WebSocketServerOptions options) {
        return new HubBrokerState(options.broker());
    }

    /**
     * The Micrometer meters, when Micrometer is on the class path.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterBinder.class)
    static class MetricsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        FanoutMetrics fanoutMetrics(WebSocketServerEventTarget hub, ObjectProvider<SpokeDrain> drain,
                WebSocketServerOptions options) {
            SpokeDrain shutdownDrain = drain.getIfAvailable();
            Broker broker = options.broker();
            return new FanoutMetrics(hub.statistics(), (code) -> (code == CloseCode.GOING_AWAY
                    && shutdownDrain != null) ? shutdownDrain.closedSpokes() : 0,
                    (broker == Broker.local()) ? null : broker.statistics());
        }
    }

    /**
     * The health indicator, when Actuator's health support is on the class path and
     * {@code management.health.fanout.enabled} is not {@code false}.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    @ConditionalOnEnabledHealthIndicator("fanout")
    static class HealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "fanoutHealthIndicator")
        FanoutHealthIndicator fanoutHealthIndicator(WebSocketServerEventTarget hub, HubBrokerState broker,
                ObjectProvider<SpokeDrain> drain) {
            return new FanoutHealthIndicator(hub, broker, drain.getIfAvailable());
        }
    }

    /**
     * The {@code fanout} endpoint, when Actuator is on the class path and the endpoint is enabled and exposed.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
    @ConditionalOnAvailableEndpoint(FanoutEndpoint.class)
    static class EndpointConfiguration {

        @Bean
        @ConditionalOnMissingBean
        FanoutEndpoint fanoutEndpoint(WebSocketServerEventTarget hub, HubBrokerState broker,
                ObjectProvider<SpokeDrain> drain, ObjectProvider<TopicOffsets> offsets, FanoutProperties properties,
                WebSocketServerOptions options) {
            FanoutEndpoint.Limits limits = new FanoutEndpoint.Limits(
                    DataSize.ofBytes(options.backpressureThreshold()), properties.getMaxMessageSize(),
                    options.maxTopicLength(), options.maxSubscriptionsPerConnection(),
                    properties.getSendStallTimeout(), properties.getHeartbeat().getInterval(),
                    properties.getHeartbeat().getTimeout(), properties.getShutdown().getDrainPeriod());
            return new FanoutEndpoint(hub, broker, drain.getIfAvailable(), offsets.getIfAvailable(), limits);
        }
    }
}
