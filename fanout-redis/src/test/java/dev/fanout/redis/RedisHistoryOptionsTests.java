package dev.fanout.redis;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link RedisHistoryOptions}: defaults, copies and validation.
 */
class RedisHistoryOptionsTests {

    @Test
    void theDefaultsAreTheDocumentedConstants() {
        RedisHistoryOptions defaults = RedisHistoryOptions.defaults();

        assertThat(defaults.keyPrefix()).isEqualTo(RedisHistoryOptions.DEFAULT_KEY_PREFIX);
        assertThat(defaults.metaTtl()).isEqualTo(RedisHistoryOptions.DEFAULT_META_TTL);
        assertThat(defaults.readTimeout()).isEqualTo(RedisHistoryOptions.DEFAULT_READ_TIMEOUT);
        assertThat(defaults.gapRepairMaxHeldBack()).isEqualTo(10_000);
        assertThat(defaults.gapRepairBatchSize()).isEqualTo(1_000);
    }

    @Test
    void everyCopyKeepsTheOtherOptions() {
        RedisHistoryOptions options = RedisHistoryOptions.defaults()
            .withGapRepair(50_000, 200)
            .withKeyPrefix("app1:h:")
            .withMetaTtl(Duration.ofHours(2))
            .withReadTimeout(Duration.ofSeconds(3));

        assertThat(options).isEqualTo(
                new RedisHistoryOptions("app1:h:", Duration.ofHours(2), Duration.ofSeconds(3), 50_000, 200));
    }

    @Test
    void gapRepairBoundsThatAreNotPositiveAreRefusedWithTheirName() {
        RedisHistoryOptions defaults = RedisHistoryOptions.defaults();

        assertThatIllegalArgumentException().isThrownBy(() -> defaults.withGapRepair(0, 100))
            .withMessage("gapRepairMaxHeldBack must be positive, was 0");
        assertThatIllegalArgumentException().isThrownBy(() -> defaults.withGapRepair(100, -1))
            .withMessage("gapRepairBatchSize must be positive, was -1");
    }

    @Test
    void aKeyPrefixWithWhitespaceAndADurationThatIsNotPositiveAreRefused() {
        RedisHistoryOptions defaults = RedisHistoryOptions.defaults();

        assertThatIllegalArgumentException().isThrownBy(() -> defaults.withKeyPrefix("a b"));
        assertThatIllegalArgumentException().isThrownBy(() -> defaults.withReadTimeout(Duration.ZERO))
            .withMessage("readTimeout must be positive, was PT0S");
    }
}
