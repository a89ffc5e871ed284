package dev.fanout.spring.websocket;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class StuckDrainerRuleTests {

    private static final long WAITING_LIMIT = 2_000_000;

    private static final long RUNNING_LIMIT = 50_000_000;

    private final Thread drainer = new Thread(() -> {
    });

    @Test
    void drainerWaitingInsideAWritePastTheLimitIsStuck() {
        assertThat(rule(true).isStuck(this.drainer, WAITING_LIMIT + 1)).isTrue();
    }

    @Test
    void drainerWaitingInsideAWriteUpToTheLimitIsNotStuck() {
        assertThat(rule(true).isStuck(this.drainer, WAITING_LIMIT)).isFalse();
    }

    @Test
    void runnableDrainerPastTheWaitingLimitIsNotStuck() {
        assertThat(rule(false).isStuck(this.drainer, WAITING_LIMIT + 1)).isFalse();
        assertThat(rule(false).isStuck(this.drainer, RUNNING_LIMIT)).isFalse();
    }

    @Test
    void runnableDrainerPastTheRunningLimitIsStuck() {
        assertThat(rule(false).isStuck(this.drainer, RUNNING_LIMIT + 1)).isTrue();
    }

    @Test
    void probeIsNotAskedAboutADrainerWithinTheWaitingLimit() {
        StuckDrainerRule rule = new StuckDrainerRule(WAITING_LIMIT, RUNNING_LIMIT, (thread) -> {
            throw new AssertionError("asked about " + thread);
        });
        assertThat(rule.isStuck(this.drainer, WAITING_LIMIT)).isFalse();
    }

    @Test
    void limitsOutOfOrderOrNotPositiveAreRejected() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> new StuckDrainerRule(0, RUNNING_LIMIT, DrainerProbe.THREAD_STATE));
        assertThatIllegalArgumentException()
            .isThrownBy(() -> new StuckDrainerRule(RUNNING_LIMIT, WAITING_LIMIT, DrainerProbe.THREAD_STATE));
    }

    private static StuckDrainerRule rule(boolean waiting) {
        return new StuckDrainerRule(WAITING_LIMIT, RUNNING_LIMIT, (thread) -> waiting);
    }
}
