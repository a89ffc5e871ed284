package dev.fanout.spring.websocket;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LivenessTests {

    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    private static final SocketSettings SETTINGS = new SocketSettings(Duration.ofSeconds(10), Duration.ofSeconds(25),
            Duration.ofSeconds(60), 1024);

    private final Liveness liveness = new Liveness(SETTINGS, 0);

    @Test
    void freshConnectionWithNothingInFlightIsHealthy() {
        assertThat(this.liveness.verdict(SECOND, 0)).isEqualTo(Liveness.Verdict.HEALTHY);
    }

    @Test
    void writeInFlightForLongerThanTheStallTimeoutIsAStallButNotAtTheTimeoutItself() {
        assertThat(this.liveness.verdict(11 * SECOND, SECOND)).isEqualTo(Liveness.Verdict.HEALTHY);
        assertThat(this.liveness.verdict(11 * SECOND + 1, SECOND)).isEqualTo(Liveness.Verdict.STALLED);
        assertThat(this.liveness.stalled(11 * SECOND + 1, SECOND)).isTrue();
        assertThat(this.liveness.stalled(11 * SECOND + 1, 0)).isFalse();
    }

    @Test
    void pingIsDueOneIntervalAfterTheLastPing() {
        assertThat(this.liveness.verdict(25 * SECOND - 1, 0)).isEqualTo(Liveness.Verdict.HEALTHY);
        assertThat(this.liveness.verdict(25 * SECOND, 0)).isEqualTo(Liveness.Verdict.PING_DUE);
        this.liveness.pinged(25 * SECOND);
        assertThat(this.liveness.verdict(26 * SECOND, 0)).isEqualTo(Liveness.Verdict.HEALTHY);
    }

    @Test
    void connectionSilentForLongerThanTheHeartbeatTimeoutIsSilentUnlessItWasHeardFrom() {
        this.liveness.pinged(50 * SECOND);
        assertThat(this.liveness.verdict(60 * SECOND + 1, 0)).isEqualTo(Liveness.Verdict.SILENT);
        this.liveness.heardFrom(59 * SECOND);
        assertThat(this.liveness.verdict(60 * SECOND + 1, 0)).isEqualTo(Liveness.Verdict.HEALTHY);
    }

    @Test
    void aStallOutranksSilence() {
        assertThat(this.liveness.verdict(100 * SECOND, SECOND)).isEqualTo(Liveness.Verdict.STALLED);
    }
}
