package dev.fanout.client.internal;

import java.time.Duration;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import dev.fanout.client.internal.ReconnectingClientTests.FixedRandom;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTests {

    private final Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));

    @Test
    void theCapDoublesWithEachAttemptUpToTheMax() {
        FixedRandom almostOne = new FixedRandom(0.999_999);
        assertThat(this.backoff.delay(1, almostOne)).isBetween(Duration.ofMillis(499), Duration.ofMillis(500));
        assertThat(this.backoff.delay(2, almostOne)).isBetween(Duration.ofMillis(999), Duration.ofSeconds(1));
        assertThat(this.backoff.delay(7, almostOne)).isBetween(Duration.ofMillis(29_999), Duration.ofSeconds(30));
        assertThat(this.backoff.delay(1_000, almostOne)).isBetween(Duration.ofMillis(29_999), Duration.ofSeconds(30));
        assertThat(this.backoff.delay(Integer.MAX_VALUE, almostOne)).isLessThanOrEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void theDelayIsDrawnFromZeroToTheCap() {
        assertThat(this.backoff.delay(3, new FixedRandom(0.0))).isZero();
        assertThat(this.backoff.delay(3, new FixedRandom(0.25))).isEqualTo(Duration.ofMillis(500));
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 1_000; i++) {
            assertThat(this.backoff.delay(4, random)).isBetween(Duration.ZERO, Duration.ofSeconds(4));
        }
    }

    @Test
    void attemptsBelowOneCountAsTheFirst() {
        FixedRandom half = new FixedRandom(0.5);
        assertThat(this.backoff.delay(0, half)).isEqualTo(this.backoff.delay(1, half));
        assertThat(this.backoff.delay(-3, half)).isEqualTo(Duration.ofMillis(250));
    }
}
