package dev.fanout.spring.autoconfigure;

import java.time.Duration;

import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

import dev.fanout.Broker;
import dev.fanout.HistoryStore;
import dev.fanout.redis.RedisBroker;
import dev.fanout.redis.RedisBrokerOptions;
import dev.fanout.redis.RedisHistoryOptions;
import dev.fanout.redis.RedisHistoryStore;

/**
 * Auto-configuration of a cluster {@link Broker} when {@code fanout.broker.type=redis}: a {@link RedisBroker}
 * connected through Spring Boot's {@link DataRedisConnectionDetails}, so that {@code spring.data.redis.*} and service
 * connections configure Redis once for the whole application. {@link FanoutAutoConfiguration} hands the broker bean
 * to the hub, and the {@link RedisHistoryStore} next to it, so that topics with history keep it in Redis Streams that
 * all nodes share. Without the property nothing is configured and the hub stays single-node; with it but without
 * fanout-redis or spring-boot-data-redis on the class path, start-up fails saying what to add.
 */
@AutoConfiguration(before = FanoutAutoConfiguration.class,
        afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnProperty(name = "fanout.broker.type", havingValue = "redis")
@EnableConfigurationProperties(FanoutBrokerProperties.class)
public final class FanoutRedisBrokerAutoConfiguration {

    static final String MISSING_MODULES = "fanout.broker.type=redis needs dev.fanout:fanout-redis and "
            + "org.springframework.boot:spring-boot-data-redis (or spring-boot-starter-data-redis) on the class path";

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({ RedisBroker.class, DataRedisConnectionDetails.class })
    static class RedisBrokerConfiguration {

        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean(Broker.class)
        RedisBroker fanoutRedisBroker(FanoutBrokerProperties properties, DataRedisConnectionDetails connection) {
            FanoutBrokerProperties.Redis redis = properties.getRedis();
            SslBundle ssl = connection.getSslBundle();
            return RedisBroker.create(RedisBrokerOptions.builder(redisUri(connection, redis.getConnectTimeout()))
                .channelPrefix(redis.getChannelPrefix())
                .subscribeBatchSize(redis.getSubscribeBatchSize())
                .unsubscribeDelay(redis.getUnsubscribeDelay())
                .outboundBufferSize(redis.getOutboundBufferSize())
                .reconnectDelay(redis.getMinReconnectDelay(), redis.getMaxReconnectDelay())
                .sslOptions((ssl != null) ? sslOptions(ssl) : null)
                .build());
        }

        /**
         * The cluster's history store, used by the hub for the topics that {@code fanout.history.rules} give a
         * history (and inert without any); only next to the Redis broker, which it works with.
         */
        @Bean
        @ConditionalOnBean(RedisBroker.class)
        @ConditionalOnMissingBean(HistoryStore.Factory.class)
        HistoryStore.Factory fanoutRedisHistoryStore(FanoutBrokerProperties properties) {
            FanoutBrokerProperties.Redis.History history = properties.getRedis().getHistory();
            return RedisHistoryStore.factory(RedisHistoryOptions.defaults()
                .withKeyPrefix(history.getKeyPrefix())
                .withMetaTtl(history.getMetaTtl())
                .withReadTimeout(history.getReadTimeout())
                .withGapRepair(history.getGapRepairMaxHeldBack(), history.getGapRepairBatchSize()));
        }

        static RedisURI redisUri(DataRedisConnectionDetails connection, Duration connectTimeout) {
            if (connection.getCluster() != null) {
                throw new IllegalStateException("fanout.broker.type=redis does not support Redis Cluster yet "
                        + "(spring.data.redis.cluster.*): point spring.data.redis at a standalone Redis or a Sentinel "
                        + "set; see docs/cluster.md");
            }
            RedisURI.Builder builder;
            DataRedisConnectionDetails.Sentinel sentinel = connection.getSentinel();
            if (sentinel != null) {
                DataRedisConnectionDetails.Node first = sentinel.getNodes().get(0);
                builder = RedisURI.Builder.sentinel(first.host(), first.port(), sentinel.getMaster());
                sentinel.getNodes().stream().skip(1).forEach((node) -> builder.withSentinel(node.host(), node.port()));
                builder.withDatabase(sentinel.getDatabase());
            }
            else {
                DataRedisConnectionDetails.Standalone standalone = connection.getStandalone();
                builder = RedisURI.builder()
                    .withHost(standalone.getHost())
                    .withPort(standalone.getPort())
                    .withDatabase(standalone.getDatabase());
            }
            String password = connection.getPassword();
            if (password != null) {
                String username = connection.getUsername();
                if (username != null) {
                    builder.withAuthentication(username, password.toCharArray());
                }
                else {
                    builder.withPassword(password.toCharArray());
                }
            }
            return builder.withSsl(connection.getSslBundle() != null).withTimeout(connectTimeout).build();
        }

        private static @Nullable SslOptions sslOptions(SslBundle bundle) {
            return SslOptions.builder()
                .jdkSslProvider()
                .keyManager(bundle.getManagers().getKeyManagerFactory())
                .trustManager(bundle.getManagers().getTrustManagerFactory())
                .build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @Conditional(ModulesMissingCondition.class)
    static class MissingModulesConfiguration {

        @Bean
        Broker fanoutRedisBroker() {
            throw new IllegalStateException(MISSING_MODULES);
        }
    }

    static final class ModulesMissingCondition extends NoneNestedConditions {

        ModulesMissingCondition() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnClass(name = { "dev.fanout.redis.RedisBroker",
                "org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails" })
        static final class ModulesPresent {
        }
    }
}
