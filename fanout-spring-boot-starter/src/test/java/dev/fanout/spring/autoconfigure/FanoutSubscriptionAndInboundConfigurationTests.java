package dev.fanout.spring.autoconfigure;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.fanout.AuthorizationDecision;
import dev.fanout.InboundRateLimit;
import dev.fanout.SpokeEventTarget;
import dev.fanout.SubscriptionAuthorizer;
import dev.fanout.WebSocketServerEventTarget;
import dev.fanout.WebSocketServerOptions;
import dev.fanout.testing.InMemoryRawSocket;

import static org.assertj.core.api.Assertions.assertThat;

class FanoutSubscriptionAndInboundConfigurationTests {

    private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(FanoutAutoConfiguration.class));

    @Test
    void withoutASubscriptionAuthorizerBeanEverySubscriptionIsAllowed() {
        this.contextRunner.run((context) -> assertThat(context.getBean(WebSocketServerOptions.class)
            .subscriptionAuthorizer()).isSameAs(SubscriptionAuthorizer.ALLOW_ALL));
    }

    @Test
    void aSubscriptionAuthorizerBeanIsAskedForEverySubscribe() {
        this.contextRunner.withUserConfiguration(InboxOnlyAuthorizer.class).run((context) -> {
            WebSocketServerEventTarget hub = context.getBean(WebSocketServerEventTarget.class);
            InMemoryRawSocket socket = new InMemoryRawSocket("spoke");
            SpokeEventTarget spoke = hub.addConnection(socket);

            socket.receiveText("{\"type\":\"__subscribe\",\"payload\":{\"topic\":\"inbox\"}}");
            socket.receiveText("{\"type\":\"__subscribe\",\"id\":\"s2\",\"payload\":{\"topic\":\"other\"}}");

            assertThat(spoke.subscriptions()).containsExactly("inbox");
            assertThat(socket.sentMessages()).singleElement().asString().contains("\"code\":\"forbidden\"");
        });
    }

    @Test
    void theInboundLimitIsOnAndGenerousByDefault() {
        this.contextRunner.run((context) -> {
            WebSocketServerOptions options = context.getBean(WebSocketServerOptions.class);
            assertThat(options.inboundRateLimit()).isEqualTo(InboundRateLimit.of(500, 2048, Duration.ofSeconds(10)));
            assertThat(options.inboundRateLimit().burst()).isGreaterThanOrEqualTo(options
                .maxSubscriptionsPerConnection());
            assertThat(options.authorizationTimeout()).isEqualTo(Duration.ofSeconds(10));
        });
    }

    @Test
    void inboundAndAuthorizationPropertiesBindOntoTheHubOptions() {
        this.contextRunner
            .withPropertyValues("fanout.inbound.rate-limit=20.5", "fanout.inbound.burst=40",
                    "fanout.inbound.close-after=3s", "fanout.authorization.timeout=750ms")
            .run((context) -> {
                WebSocketServerOptions options = context.getBean(WebSocketServerOptions.class);
                assertThat(options.inboundRateLimit()).isEqualTo(InboundRateLimit.of(20.5, 40, Duration.ofSeconds(3)));
                assertThat(options.authorizationTimeout()).isEqualTo(Duration.ofMillis(750));
            });
    }

    @Test
    void aRateLimitOfZeroTurnsTheInboundLimitOff() {
        this.contextRunner.withPropertyValues("fanout.inbound.rate-limit=0")
            .run((context) -> assertThat(context.getBean(WebSocketServerOptions.class).inboundRateLimit()
                .isUnlimited()).isTrue());
    }

    @ParameterizedTest
    @ValueSource(strings = { "fanout.inbound.rate-limit=-1", "fanout.inbound.burst=0", "fanout.inbound.close-after=0s",
        "fanout.authorization.timeout=0s" })
    void anInboundOrAuthorizationValueOutOfRangeFailsStartUpNamingTheProperty(String property) {
        this.contextRunner.withPropertyValues(property).run((context) -> assertThat(context).hasFailed()
            .getFailure()
            .rootCause()
            .hasMessageContaining(property.substring(0, property.indexOf('='))));
    }

    @Configuration(proxyBeanMethods = false)
    static class InboxOnlyAuthorizer {

        @Bean
        SubscriptionAuthorizer inboxOnly() {
            return (spoke, topic) -> CompletableFuture.completedStage(
                    topic.equals("inbox") ? AuthorizationDecision.allow() : AuthorizationDecision.deny());
        }
    }
}
