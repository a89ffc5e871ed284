package dev.fanout.spring.autoconfigure;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.socket.server.support.WebSocketHandlerMapping;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;

import dev.fanout.spring.shutdown.DrainingHandshakeInterceptor;
import dev.fanout.spring.shutdown.SpokeDrain;

import static org.assertj.core.api.Assertions.assertThat;

class FanoutShutdownAutoConfigurationTests {

    private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(FanoutAutoConfiguration.class,
                FanoutShutdownAutoConfiguration.class));

    @Test
    void theDrainRunsJustBeforeTheWebServersGracefulShutdownWithTheDefaultPeriodOfTenSeconds() {
        this.contextRunner.run((context) -> {
            SpokeDrain drain = context.getBean(SpokeDrain.class);
            assertThat(drain.drainPeriod()).isEqualTo(Duration.ofSeconds(10));
            assertThat(drain.getPhase()).isEqualTo(WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE + 1);
            assertThat(drain.isRunning()).isTrue();
        });
    }

    @Test
    void theDrainPeriodIsBoundFromFanoutShutdownDrainPeriod() {
        this.contextRunner.withPropertyValues("fanout.shutdown.drain-period=750ms")
            .run((context) -> assertThat(context.getBean(SpokeDrain.class).drainPeriod())
                .isEqualTo(Duration.ofMillis(750)));
    }

    @Test
    void theEndpointsHandshakeGoesThroughTheDrainingInterceptor() {
        this.contextRunner.run((context) -> {
            WebSocketHandlerMapping mapping = context.getBean("fanoutHandlerMapping", WebSocketHandlerMapping.class);
            WebSocketHttpRequestHandler handler = (WebSocketHttpRequestHandler) mapping.getUrlMap().get("/fanout");
            assertThat(handler.getHandshakeInterceptors()).extracting(HandshakeInterceptor::getClass)
                .contains(DrainingHandshakeInterceptor.class);
        });
    }

    @Test
    void aNegativeDrainPeriodFailsStartUpNamingTheProperty() {
        this.contextRunner.withPropertyValues("fanout.shutdown.drain-period=-1s")
            .run((context) -> assertThat(context).hasFailed()
                .getFailure()
                .rootCause()
                .hasMessageContaining("fanout.shutdown.drain-period"));
    }

    @Test
    void aZeroDrainPeriodIsAllowed() {
        this.contextRunner.withPropertyValues("fanout.shutdown.drain-period=0s")
            .run((context) -> assertThat(context.getBean(SpokeDrain.class).drainPeriod()).isZero());
    }

    @Test
    void whenTheHubIsTurnedOffThereIsNoDrain() {
        this.contextRunner.withPropertyValues("fanout.enabled=false")
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(SpokeDrain.class));
    }
}
