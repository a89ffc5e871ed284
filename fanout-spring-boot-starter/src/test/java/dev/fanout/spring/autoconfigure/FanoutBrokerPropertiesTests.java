package dev.fanout.spring.autoconfigure;

import org.junit.jupiter.api.Test;

import dev.fanout.redis.RedisHistoryOptions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link FanoutBrokerProperties}: its defaults are the library's, written out in the properties so that the
 * configuration metadata shows them.
 */
class FanoutBrokerPropertiesTests {

    @Test
    void theRedisHistoryPropertiesDefaultToTheStoresDefaultOptions() {
        FanoutBrokerProperties.Redis.History history = new FanoutBrokerProperties().getRedis().getHistory();

        assertThat(new RedisHistoryOptions(history.getKeyPrefix(), history.getMetaTtl(), history.getReadTimeout(),
                history.getGapRepairMaxHeldBack(), history.getGapRepairBatchSize()))
            .isEqualTo(RedisHistoryOptions.defaults());
    }
}
