package dev.fanout;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class FlowControlOptionsTests {

    @Test
    void theDefaultsAreAQuarterAndASixteenthOfTheBackpressureThreshold() {
        FlowControlOptions defaults = WebSocketServerOptions.ofDefaults().flowControl();

        assertThat(defaults.enabled()).isTrue();
        assertThat(defaults.highWaterMark()).isEqualTo(256 * 1024);
        assertThat(defaults.lowWaterMark()).isEqualTo(64 * 1024);
        assertThat(defaults.checkInterval()).isEqualTo(FlowControlOptions.DEFAULT_CHECK_INTERVAL)
            .isEqualTo(Duration.ofMillis(10));
        assertThat(defaults.drainTimeout()).isEqualTo(FlowControlOptions.DEFAULT_DRAIN_TIMEOUT)
            .isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void theDerivedMarksFollowTheThresholdUntilFlowControlIsSetExplicitly() {
        WebSocketServerOptions options = WebSocketServerOptions.builder().backpressureThreshold(4_000).build();
        assertThat(options.flowControl()).isEqualTo(FlowControlOptions.derivedFrom(4_000));
        assertThat(options.flowControl().highWaterMark()).isEqualTo(1_000);

        WebSocketServerOptions raised = options.toBuilder().backpressureThreshold(16_000).build();
        assertThat(raised.flowControl().highWaterMark()).isEqualTo(4_000);
        assertThat(raised.flowControl().lowWaterMark()).isEqualTo(1_000);

        WebSocketServerOptions explicit = raised.toBuilder().flowControl(FlowControlOptions.of(500, 50)).build();
        WebSocketServerOptions raisedAgain = explicit.toBuilder().backpressureThreshold(32_000).build();
        assertThat(raisedAgain.flowControl()).isEqualTo(FlowControlOptions.of(500, 50));
    }

    @Test
    void aThresholdTooSmallForAMarkTurnsTheDerivedFlowControlOff() {
        assertThat(WebSocketServerOptions.builder().backpressureThreshold(3).build().flowControl())
            .isEqualTo(FlowControlOptions.off());
        assertThat(FlowControlOptions.derivedFrom(4).enabled()).isTrue();
    }

    @Test
    void theProtocol1ConstructorDerivesFlowControlFromItsThreshold() {
        WebSocketServerOptions options = new WebSocketServerOptions(8_000, 256, 1024, JsonMapper.builder().build(),
                WebSocketServerOptions.ConnectionCallback.NONE, WebSocketServerOptions.ConnectionCallback.NONE,
                WebSocketServerOptions.BackpressureCallback.NONE);

        assertThat(options.flowControl()).isEqualTo(FlowControlOptions.derivedFrom(8_000));
    }

    @Test
    void aHighWaterMarkAtOrAboveTheThresholdIsRejectedNamingBoth() {
        WebSocketServerOptions.Builder builder = WebSocketServerOptions.builder()
            .backpressureThreshold(1_000)
            .flowControl(FlowControlOptions.of(1_000, 10));

        assertThatIllegalArgumentException().isThrownBy(builder::build)
            .withMessageContaining("highWaterMark (1000)")
            .withMessageContaining("backpressureThreshold (1000)");
    }

    @Test
    void marksOutOfOrderAndNonPositiveTimersAreRejectedAtOnce() {
        assertThatIllegalArgumentException().isThrownBy(() -> FlowControlOptions.of(100, 100))
            .withMessageContaining("lowWaterMark=100, highWaterMark=100");
        assertThatIllegalArgumentException().isThrownBy(() -> FlowControlOptions.of(100, -1))
            .withMessageContaining("lowWaterMark=-1");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> FlowControlOptions.of(100, 10).withCheckInterval(Duration.ZERO))
            .withMessageContaining("checkInterval");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> FlowControlOptions.of(100, 10).withDrainTimeout(Duration.ofSeconds(-1)))
            .withMessageContaining("drainTimeout");
    }

    @Test
    void flowControlOffIsAcceptedWithAnyThreshold() {
        WebSocketServerOptions options = WebSocketServerOptions.builder()
            .backpressureThreshold(1)
            .flowControl(FlowControlOptions.off())
            .build();

        assertThat(options.flowControl().enabled()).isFalse();
    }
}
