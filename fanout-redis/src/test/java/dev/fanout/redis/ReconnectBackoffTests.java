package dev.fanout.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReconnectBackoffTests {

    private static final Duration MIN = Duration.ofMillis(100);

    private static final Duration MAX = Duration.ofSeconds(5);

    @Test
    void theUpperBoundOfTheDelayDoublesFromTheMinimumWithEveryFailureUpToTheMaximum() {
        ReconnectBackoff backoff = new ReconnectBackoff(MIN, MAX, (bound) -> bound - 1);

        List<Long> millis = new ArrayList<>();
        for (int n = 0; n < 9; n++) {
            millis.add(backoff.next().toMillis());
        }

        assertThat(millis).containsExactly(100L, 200L, 400L, 800L, 1600L, 3200L, 5000L, 5000L, 5000L);
    }

    @Test
    void theJitterKeepsEachDelayBetweenHalfItsUpperBoundAndTheBound() {
        ReconnectBackoff lowest = new ReconnectBackoff(MIN, MAX, (bound) -> 0);
        ReconnectBackoff real = new ReconnectBackoff(MIN, MAX);

        assertThat(lowest.next()).isEqualTo(Duration.ofMillis(50));
        assertThat(lowest.next()).isEqualTo(Duration.ofMillis(100));
        for (int n = 0; n < 200; n++) {
            long upper = Math.min(MAX.toNanos(), MIN.toNanos() << Math.min(n, 20));
            assertThat(real.next().toNanos()).as("delay %d", n).isBetween(upper / 2, upper);
        }
    }

    @Test
    void afterASuccessTheNextDelayStartsFromTheMinimumAgain() {
        ReconnectBackoff backoff = new ReconnectBackoff(MIN, MAX, (bound) -> bound - 1);
        backoff.next();
        backoff.next();
        backoff.next();

        backoff.reset();

        assertThat(backoff.next()).isEqualTo(MIN);
    }

    @Test
    void aVeryLongOutageNeverOverflowsTheDelayPastTheMaximum() {
        ReconnectBackoff backoff = new ReconnectBackoff(MIN, Duration.ofDays(365), (bound) -> bound - 1);

        Duration last = Duration.ZERO;
        for (int n = 0; n < 10_000; n++) {
            last = backoff.next();
            assertThat(last).isPositive().isLessThanOrEqualTo(Duration.ofDays(365));
        }
        assertThat(last).isEqualTo(Duration.ofDays(365));
    }
}
