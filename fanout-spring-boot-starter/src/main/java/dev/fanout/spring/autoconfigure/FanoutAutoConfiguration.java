package dev.fanout.spring.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.websocket.server.ServerContainer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.socket.server.support.OriginHandshakeInterceptor;
import org.springframework.web.socket.server.support.WebSocketHandlerMapping;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;
import tools.jackson.databind.json.JsonMapper;

import dev.fanout.Broker;
import dev.fanout.HistoryOptions;
import dev.fanout.HistoryStore;
import dev.fanout.InboundRateLimit;
import dev.fanout.SubscriptionAuthorizer;
import dev.fanout.WebSocketServerEventTarget;
import dev.fanout.WebSocketServerOptions;
import dev.fanout.spring.event.BrokerStateChangeEvent;
import dev.fanout.spring.event.SpokeEventPublisher;
import dev.fanout.spring.listener.FanoutListenerMethodProcessor;
import dev.fanout.spring.websocket.FanoutHandshakeHandler;
import dev.fanout.spring.websocket.FanoutWebSocketHandler;
import dev.fanout.spring.websocket.SessionSupervisor;
import dev.fanout.spring.websocket.SocketSettings;

/**
 * Auto-configuration of a fanout hub in a servlet web application with Spring WebSocket: the
 * {@link WebSocketServerEventTarget} bean, its WebSocket endpoint at {@code fanout.path}, the application events of
 * its connections and the {@link dev.fanout.spring.listener.FanoutListener @FanoutListener} methods. A {@link Broker}
 * bean, if there is one (see {@link FanoutRedisBrokerAutoConfiguration}), clusters the hub; a
 * {@link HistoryStore.Factory} bean, if there is one, keeps the history of the topics {@code fanout.history.rules}
 * name (in memory otherwise). Turned off by
 * {@code fanout.enabled=false}; each bean backs off when the application defines its own.
 *
 * <p>The wiring survives such overrides: {@code @FanoutListener} methods are registered once on whichever hub bean
 * exists, and the application events are published by the WebSocket handler, which sees every session; neither is
 * attached to the replaceable {@link WebSocketServerOptions} bean.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ WebSocketHandler.class, ServerContainer.class, WebSocketServerEventTarget.class })
@ConditionalOnBooleanProperty(name = "fanout.enabled", matchIfMissing = true)
@EnableConfigurationProperties(FanoutProperties.class)
public final class FanoutAutoConfiguration {

    /** The handler mapping's order: before Spring MVC's controllers and static resources. */
    static final int HANDLER_MAPPING_ORDER = 1;

    @Bean
    @ConditionalOnMissingBean
    static FanoutListenerMethodProcessor fanoutListenerMethodProcessor(ConfigurableListableBeanFactory beanFactory) {
        return new FanoutListenerMethodProcessor(beanFactory);
    }

    @Bean
    @ConditionalOnMissingBean
    WebSocketServerOptions fanoutServerOptions(FanoutProperties properties, ObjectProvider<JsonMapper> jsonMapper,
            ObjectProvider<FanoutCustomizer> customizers, ApplicationEventPublisher eventPublisher,
            ObjectProvider<Broker> broker, ObjectProvider<SubscriptionAuthorizer> authorizer,
            ObjectProvider<HistoryStore.Factory> historyStore) {
        long threshold = properties.getBackpressure().getThreshold().toBytes();
        HistoryOptions history = HistoryProperties.toOptions(properties.getHistory());
        HistoryStore.Factory store = historyStore.getIfUnique();
        WebSocketServerOptions.Builder builder = WebSocketServerOptions.builder()
            .backpressureThreshold(threshold)
            .maxTopicLength(properties.getMaxTopicLength())
            .maxSubscriptionsPerConnection(properties.getMaxSubscriptionsPerConnection())
            .authorizationTimeout(properties.getAuthorization().getTimeout())
            .inboundRateLimit(inboundRateLimit(properties.getInbound()))
            .statisticsTopicPrefixes(properties.getMetrics().getTopicPrefixTags())
            .history((store != null) ? history.withStore(store) : history)
            .flowControl(properties.getFlowControl().toOptions(threshold));
        jsonMapper.ifUnique(builder::jsonMapper);
        broker.ifUnique(builder::broker);
        authorizer.ifUnique(builder::subscriptionAuthorizer);
        customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
        WebSocketServerOptions customized = builder.build();
        return customized.toBuilder()
            .onBrokerStateChange(customized.onBrokerStateChange()
                .andThen((state) -> eventPublisher.publishEvent(new BrokerStateChangeEvent(customized.broker(), state))))
            .build();
    }

    private static InboundRateLimit inboundRateLimit(FanoutProperties.Inbound inbound) {
        return (inbound.getRateLimit() == 0) ? InboundRateLimit.unlimited()
                : InboundRateLimit.of(inbound.getRateLimit(), inbound.getBurst(), inbound.getCloseAfter());
    }

    @Bean
    FanoutStartupReport fanoutStartupReport(FanoutProperties properties, WebSocketServerOptions options) {
        return new FanoutStartupReport(properties, options);
    }

    @Bean
    @ConditionalOnMissingBean
    WebSocketServerEventTarget fanoutHub(WebSocketServerOptions options) {
        return WebSocketServerEventTarget.create(options);
    }

    /** Internal to the starter (the connections' watchdog and threads), so not replaceable. */
    @Bean(destroyMethod = "close")
    SessionSupervisor fanoutSessionSupervisor(FanoutProperties properties) {
        long maxMessageSize = Math.min(Integer.MAX_VALUE, properties.getMaxMessageSize().toBytes());
        return new SessionSupervisor(new SocketSettings(properties.getSendStallTimeout(),
                properties.getHeartbeat().getInterval(), properties.getHeartbeat().getTimeout(),
                (int) maxMessageSize));
    }

    @Bean
    @ConditionalOnMissingBean(name = "fanoutWebSocketHandler")
    FanoutWebSocketHandler fanoutWebSocketHandler(WebSocketServerEventTarget hub, SessionSupervisor supervisor,
            WebSocketServerOptions options, ApplicationEventPublisher eventPublisher) {
        return new FanoutWebSocketHandler(hub, supervisor, options.onBackpressure(),
                new SpokeEventPublisher(eventPublisher));
    }

    @Bean
    @ConditionalOnMissingBean(name = "fanoutHandlerMapping")
    WebSocketHandlerMapping fanoutHandlerMapping(@Qualifier("fanoutWebSocketHandler") WebSocketHandler handler,
            FanoutProperties properties, ObjectProvider<HandshakeInterceptor> interceptors) {
        OriginHandshakeInterceptor originCheck = new OriginHandshakeInterceptor(properties.getAllowedOrigins());
        originCheck.setAllowedOriginPatterns(properties.getAllowedOriginPatterns());
        List<HandshakeInterceptor> handshakeInterceptors = new ArrayList<>();
        handshakeInterceptors.add(originCheck);
        interceptors.orderedStream().forEach(handshakeInterceptors::add);
        WebSocketHttpRequestHandler requestHandler = new WebSocketHttpRequestHandler(handler,
                new FanoutHandshakeHandler());
        requestHandler.setHandshakeInterceptors(handshakeInterceptors);
        WebSocketHandlerMapping mapping = new WebSocketHandlerMapping();
        mapping.setUrlMap(Map.of(properties.getPath(), requestHandler));
        mapping.setOrder(HANDLER_MAPPING_ORDER);
        return mapping;
    }
}
