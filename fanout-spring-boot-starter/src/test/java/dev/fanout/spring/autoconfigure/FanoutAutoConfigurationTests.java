package dev.fanout.spring.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.websocket.server.ServerContainer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.socket.server.support.OriginHandshakeInterceptor;
import org.springframework.web.socket.server.support.WebSocketHandlerMapping;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;
import tools.jackson.databind.json.JsonMapper;

import dev.fanout.SpokeEventTarget;
import dev.fanout.WebSocketServerEventTarget;
import dev.fanout.WebSocketServerOptions;
import dev.fanout.spring.listener.FanoutListener;
import dev.fanout.spring.listener.FanoutListenerMethodProcessor;
import dev.fanout.spring.websocket.FanoutWebSocketHandler;
import dev.fanout.spring.websocket.SessionSupervisor;
import dev.fanout.spring.websocket.SocketSettings;
import dev.fanout.testing.InMemoryRawSocket;

import static org.assertj.core.api.Assertions.assertThat;

class FanoutAutoConfigurationTests {

    private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(FanoutAutoConfiguration.class));

    @Test
    void servletWebApplicationGetsHubHandlerAndEndpointAtSlashFanout() {
        this.contextRunner.run((context) -> {
            assertThat(context).hasSingleBean(WebSocketServerEventTarget.class)
                .hasSingleBean(WebSocketServerOptions.class)
                .hasSingleBean(FanoutWebSocketHandler.class)
                .hasSingleBean(SessionSupervisor.class)
                .hasSingleBean(FanoutListenerMethodProcessor.class)
                .hasBean("fanoutHandlerMapping");
            assertThat(context.getBean("fanoutHandlerMapping", WebSocketHandlerMapping.class).getUrlMap())
                .containsOnlyKeys("/fanout");
        });
    }

    @Test
    void defaultsMatchTheDocumentedValues() {
        this.contextRunner.run((context) -> {
            WebSocketServerOptions options = context.getBean(WebSocketServerOptions.class);
            assertThat(options.backpressureThreshold()).isEqualTo(1024 * 1024);
            assertThat(options.maxTopicLength()).isEqualTo(256);
            assertThat(options.maxSubscriptionsPerConnection()).isEqualTo(1024);
            SocketSettings settings = context.getBean(SessionSupervisor.class).settings();
            assertThat(settings.maxMessageSize()).isEqualTo(64 * 1024);
            assertThat(settings.sendStallTimeout()).isEqualTo(Duration.ofSeconds(10));
            assertThat(settings.heartbeatInterval()).isEqualTo(Duration.ofSeconds(25));
            assertThat(settings.heartbeatTimeout()).isEqualTo(Duration.ofSeconds(60));
            assertThat(originCheck(context.getBean("fanoutHandlerMapping", WebSocketHandlerMapping.class))
                .getAllowedOrigins()).isEmpty();
        });
    }

    @Test
    void propertiesBindOntoTheHubTheSocketsAndTheEndpoint() {
        this.contextRunner
            .withPropertyValues("fanout.path=/hub", "fanout.backpressure.threshold=2MB",
                    "fanout.max-message-size=1MB", "fanout.max-topic-length=100",
                    "fanout.max-subscriptions-per-connection=10", "fanout.send-stall-timeout=3s",
                    "fanout.heartbeat.interval=5s", "fanout.heartbeat.timeout=15s",
                    "fanout.allowed-origins=https://app.example.com",
                    "fanout.allowed-origin-patterns=https://*.example.org")
            .run((context) -> {
                WebSocketServerOptions options = context.getBean(WebSocketServerOptions.class);
                assertThat(options.backpressureThreshold()).isEqualTo(2 * 1024 * 1024);
                assertThat(options.maxTopicLength()).isEqualTo(100);
                assertThat(options.maxSubscriptionsPerConnection()).isEqualTo(10);
                assertThat(context.getBean(SessionSupervisor.class).settings()).isEqualTo(new SocketSettings(Duration.ofSeconds(3),
                        Duration.ofSeconds(5), Duration.ofSeconds(15), 1024 * 1024));
                WebSocketHandlerMapping mapping = context.getBean("fanoutHandlerMapping",
                        WebSocketHandlerMapping.class);
                assertThat(mapping.getUrlMap()).containsOnlyKeys("/hub");
                assertThat(originCheck(mapping).getAllowedOrigins()).containsExactly("https://app.example.com");
                assertThat(originCheck(mapping).getAllowedOriginPatterns()).containsExactly("https://*.example.org");
            });
    }

    @Test
    void whenFanoutIsDisabledThenNothingIsConfigured() {
        this.contextRunner.withPropertyValues("fanout.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(WebSocketServerEventTarget.class)
                .doesNotHaveBean(FanoutProperties.class)
                .doesNotHaveBean("fanoutHandlerMapping"));
    }

    @Test
    void whenSpringWebSocketIsNotOnTheClasspathThenAutoConfigurationBacksOff() {
        this.contextRunner.withClassLoader(new FilteredClassLoader(WebSocketHandler.class))
            .run((context) -> assertThat(context).doesNotHaveBean(WebSocketServerEventTarget.class));
    }

    @Test
    void whenJakartaWebSocketIsNotOnTheClasspathThenAutoConfigurationBacksOff() {
        this.contextRunner.withClassLoader(new FilteredClassLoader(ServerContainer.class))
            .run((context) -> assertThat(context).doesNotHaveBean(WebSocketServerEventTarget.class));
    }

    @Test
    void whenFanoutCoreIsNotOnTheClasspathThenAutoConfigurationBacksOff() {
        this.contextRunner.withClassLoader(new FilteredClassLoader(WebSocketServerEventTarget.class))
            .run((context) -> assertThat(context).doesNotHaveBean(FanoutProperties.class));
    }

    @Test
    void nonWebApplicationGetsNothing() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(FanoutAutoConfiguration.class))
            .run((context) -> assertThat(context).doesNotHaveBean(WebSocketServerEventTarget.class)
                .doesNotHaveBean(FanoutProperties.class));
    }

    @Test
    void reactiveWebApplicationGetsNothing() {
        new ReactiveWebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FanoutAutoConfiguration.class))
            .run((context) -> assertThat(context).doesNotHaveBean(WebSocketServerEventTarget.class)
                .doesNotHaveBean(FanoutProperties.class));
    }

    @Test
    void userDefinedHubReplacesTheAutoConfiguredOne() {
        this.contextRunner.withUserConfiguration(UserHubConfiguration.class).run((context) -> {
            assertThat(context).hasSingleBean(WebSocketServerEventTarget.class);
            assertThat(context.getBean(WebSocketServerEventTarget.class))
                .isSameAs(context.getBean(UserHubConfiguration.class).hub);
            assertThat(context).hasSingleBean(FanoutWebSocketHandler.class);
        });
    }

    @Test
    void userDefinedOptionsReplaceTheAutoConfiguredOnes() {
        this.contextRunner.withUserConfiguration(UserOptionsConfiguration.class)
            .run((context) -> assertThat(context.getBean(WebSocketServerOptions.class).maxTopicLength())
                .isEqualTo(7));
    }

    @Test
    void socketSettingsAndTheSupervisorAreInternalsThatAreNotBeansToOverride() {
        this.contextRunner.run((context) -> {
            assertThat(context).doesNotHaveBean(SocketSettings.class);
            assertThat(context.getBeanFactory().getBeanDefinition("fanoutSessionSupervisor").getSource())
                .isInstanceOfSatisfying(org.springframework.core.type.MethodMetadata.class,
                        (method) -> assertThat(method.isAnnotated(ConditionalOnMissingBean.class.getName())).isFalse());
        });
    }

    @Test
    void userDefinedHandlerAndMappingReplaceTheAutoConfiguredOnes() {
        this.contextRunner.withUserConfiguration(UserEndpointConfiguration.class).run((context) -> {
            assertThat(context).doesNotHaveBean(FanoutWebSocketHandler.class);
            assertThat(context.getBean("fanoutWebSocketHandler")).isInstanceOf(TextWebSocketHandler.class);
            assertThat(context.getBean("fanoutHandlerMapping", WebSocketHandlerMapping.class).getUrlMap())
                .containsOnlyKeys("/custom");
        });
    }

    @Test
    void customizersAreAppliedInOrderAfterTheProperties() {
        this.contextRunner.withUserConfiguration(CustomizerConfiguration.class)
            .withPropertyValues("fanout.max-topic-length=100", "fanout.max-subscriptions-per-connection=5")
            .run((context) -> {
                WebSocketServerOptions options = context.getBean(WebSocketServerOptions.class);
                assertThat(options.maxTopicLength()).isEqualTo(20);
                assertThat(options.maxSubscriptionsPerConnection()).isEqualTo(5);
            });
    }

    @Test
    void callbacksSetByACustomizerRunOnTheHub() {
        this.contextRunner.withUserConfiguration(CustomizerConfiguration.class).run((context) -> {
            WebSocketServerEventTarget hub = context.getBean(WebSocketServerEventTarget.class);
            SpokeEventTarget spoke = hub.addConnection(new InMemoryRawSocket("spoke"));
            assertThat(context.getBean(CustomizerConfiguration.class).connected).containsExactly(spoke);
        });
    }

    @Test
    void fanoutListenerMethodsAreRegisteredOnceOnAUserDefinedHubAndHearEverySpoke() {
        this.contextRunner.withUserConfiguration(UserHubConfiguration.class, ListenerMethods.class).run((context) -> {
            WebSocketServerEventTarget hub = context.getBean(UserHubConfiguration.class).hub;
            InMemoryRawSocket first = new InMemoryRawSocket("first");
            InMemoryRawSocket second = new InMemoryRawSocket("second");
            SpokeEventTarget firstSpoke = hub.addConnection(first);
            SpokeEventTarget secondSpoke = hub.addConnection(second);
            first.receiveText("{\"type\":\"greet\",\"payload\":\"one\"}");
            second.receiveText("{\"type\":\"greet\",\"payload\":\"two\"}");
            assertThat(context.getBean(ListenerMethods.class).heard).containsExactly("one from " + firstSpoke,
                    "two from " + secondSpoke);
        });
    }

    @Test
    void fanoutListenerMethodsAreRegisteredOnTheHubBuiltFromAUserDefinedOptionsBean() {
        this.contextRunner.withUserConfiguration(UserOptionsConfiguration.class, ListenerMethods.class)
            .run((context) -> {
                InMemoryRawSocket socket = new InMemoryRawSocket("spoke");
                SpokeEventTarget spoke = context.getBean(WebSocketServerEventTarget.class).addConnection(socket);
                socket.receiveText("{\"type\":\"greet\",\"payload\":\"hello\"}");
                assertThat(context.getBean(ListenerMethods.class).heard).containsExactly("hello from " + spoke);
            });
    }

    @Test
    void hubUsesTheBootConfiguredJsonMapper() {
        this.contextRunner.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class))
            .run((context) -> assertThat(context.getBean(WebSocketServerOptions.class).jsonMapper())
                .isSameAs(context.getBean(JsonMapper.class)));
    }

    @Test
    void handshakeInterceptorBeansRunAfterTheOriginCheck() {
        this.contextRunner.withUserConfiguration(InterceptorConfiguration.class).run((context) -> {
            WebSocketHttpRequestHandler handler = requestHandler(
                    context.getBean("fanoutHandlerMapping", WebSocketHandlerMapping.class));
            assertThat(handler.getHandshakeInterceptors()).hasSize(2);
            assertThat(handler.getHandshakeInterceptors().get(0)).isInstanceOf(OriginHandshakeInterceptor.class);
            assertThat(handler.getHandshakeInterceptors().get(1))
                .isSameAs(context.getBean(InterceptorConfiguration.class).interceptor);
        });
    }

    private static WebSocketHttpRequestHandler requestHandler(WebSocketHandlerMapping mapping) {
        return (WebSocketHttpRequestHandler) mapping.getUrlMap().values().iterator().next();
    }

    private static OriginHandshakeInterceptor originCheck(WebSocketHandlerMapping mapping) {
        return (OriginHandshakeInterceptor) requestHandler(mapping).getHandshakeInterceptors().get(0);
    }

    @Configuration(proxyBeanMethods = false)
    static class UserHubConfiguration {

        final WebSocketServerEventTarget hub = WebSocketServerEventTarget.create();

        @Bean
        WebSocketServerEventTarget userHub() {
            return this.hub;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserOptionsConfiguration {

        @Bean
        WebSocketServerOptions userOptions() {
            return WebSocketServerOptions.builder().maxTopicLength(7).build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserEndpointConfiguration {

        @Bean
        TextWebSocketHandler fanoutWebSocketHandler() {
            return new TextWebSocketHandler();
        }

        @Bean
        WebSocketHandlerMapping fanoutHandlerMapping() {
            WebSocketHandlerMapping mapping = new WebSocketHandlerMapping();
            mapping.setUrlMap(java.util.Map.of("/custom", new WebSocketHttpRequestHandler(fanoutWebSocketHandler())));
            return mapping;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class CustomizerConfiguration {

        final List<SpokeEventTarget> connected = new CopyOnWriteArrayList<>();

        @Bean
        @Order(2)
        FanoutCustomizer second() {
            return (builder) -> builder.maxTopicLength(20);
        }

        @Bean
        @Order(1)
        FanoutCustomizer first() {
            return (builder) -> builder.maxTopicLength(10)
                .onConnection((spoke, socket) -> this.connected.add(spoke));
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ListenerMethods {

        final List<String> heard = new CopyOnWriteArrayList<>();

        @FanoutListener("greet")
        void onGreeting(String text, SpokeEventTarget from) {
            this.heard.add(text + " from " + from);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class InterceptorConfiguration {

        final HandshakeInterceptor interceptor = new HandshakeInterceptor() {

            @Override
            public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response,
                    WebSocketHandler wsHandler, java.util.Map<String, Object> attributes) {
                return true;
            }

            @Override
            public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response,
                    WebSocketHandler wsHandler, Exception exception) {
            }
        };

        @Bean
        HandshakeInterceptor userInterceptor() {
            return this.interceptor;
        }
    }
}
