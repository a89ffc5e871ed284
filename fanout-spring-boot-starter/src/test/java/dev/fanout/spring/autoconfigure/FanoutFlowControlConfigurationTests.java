package dev.fanout.spring.autoconfigure;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import dev.fanout.FlowControlOptions;
import dev.fanout.WebSocketServerOptions;

import static org.assertj.core.api.Assertions.assertThat;

class FanoutFlowControlConfigurationTests {

    private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(FanoutAutoConfiguration.class));

    @Test
    void flowControlIsOnByDefaultWithMarksDerivedFromTheBackpressureThreshold() {
        this.contextRunner.run((context) -> assertThat(context.getBean(WebSocketServerOptions.class).flowControl())
            .isEqualTo(new FlowControlOptions(true, 256 * 1024, 64 * 1024, Duration.ofMillis(10),
                    Duration.ofSeconds(5))));
    }

    @Test
    void theDerivedMarksFollowABackpressureThresholdSetByProperty() {
        this.contextRunner.withPropertyValues("fanout.backpressure.threshold=4MB")
            .run((context) -> assertThat(context.getBean(WebSocketServerOptions.class).flowControl())
                .isEqualTo(FlowControlOptions.derivedFrom(4 * 1024 * 1024)));
    }

    @Test
    void flowControlPropertiesBindOntoTheHubOptions() {
        this.contextRunner
            .withPropertyValues("fanout.flow-control.high-water-mark=128KB", "fanout.flow-control.low-water-mark=16KB",
                    "fanout.flow-control.check-interval=5ms", "fanout.flow-control.drain-timeout=2s")
            .run((context) -> assertThat(context.getBean(WebSocketServerOptions.class).flowControl())
                .isEqualTo(new FlowControlOptions(true, 128 * 1024, 16 * 1024, Duration.ofMillis(5),
                        Duration.ofSeconds(2))));
    }

    @Test
    void aHighWaterMarkAloneGetsALowWaterMarkBelowIt() {
        this.contextRunner.withPropertyValues("fanout.flow-control.high-water-mark=32KB")
            .run((context) -> assertThat(context.getBean(WebSocketServerOptions.class).flowControl().lowWaterMark())
                .isEqualTo(8 * 1024));
    }

    @Test
    void enabledFalseTurnsFlowControlOff() {
        this.contextRunner.withPropertyValues("fanout.flow-control.enabled=false")
            .run((context) -> assertThat(context.getBean(WebSocketServerOptions.class).flowControl())
                .isEqualTo(FlowControlOptions.off()));
    }

    @ParameterizedTest
    @ValueSource(strings = { "fanout.flow-control.high-water-mark=1MB", "fanout.flow-control.high-water-mark=0B",
        "fanout.flow-control.low-water-mark=256KB", "fanout.flow-control.check-interval=0s",
        "fanout.flow-control.drain-timeout=-1s" })
    void aFlowControlValueOutOfRangeFailsStartUpNamingTheProperty(String property) {
        this.contextRunner.withPropertyValues(property).run((context) -> assertThat(context).hasFailed()
            .getFailure()
            .rootCause()
            .hasMessageContaining(property.substring(0, property.indexOf('='))));
    }
}
