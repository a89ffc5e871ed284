package dev.fanout.spring.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.fanout.Broker;
import dev.fanout.BrokerState;
import dev.fanout.WebSocketServerOptions;
import dev.fanout.redis.RedisBroker;
import dev.fanout.redis.RedisBrokerOptions;
import dev.fanout.redis.testing.RedisServer;
import dev.fanout.spring.event.BrokerStateChangeEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class FanoutRedisBrokerAutoConfigurationTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static RedisServer redis;

    private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
                FanoutRedisBrokerAutoConfiguration.class, FanoutAutoConfiguration.class));

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void withoutBrokerTypeTheHubIsSingleNodeWithTheLocalBroker() {
        this.contextRunner.run((context) -> {
            assertThat(context).doesNotHaveBean(Broker.class);
            assertThat(context.getBean(WebSocketServerOptions.class).broker()).isSameAs(Broker.local());
        });
    }

    @Test
    void brokerTypeLocalKeepsTheHubSingleNode() {
        this.contextRunner.withPropertyValues("fanout.broker.type=local").run((context) -> {
            assertThat(context).doesNotHaveBean(Broker.class);
            assertThat(context.getBean(WebSocketServerOptions.class).broker()).isSameAs(Broker.local());
        });
    }

    @Test
    void brokerTypeRedisClustersTheHubThroughSpringDataRedisProperties() {
        this.contextRunner
            .withPropertyValues("fanout.broker.type=redis", "spring.data.redis.host=127.0.0.1",
                    "spring.data.redis.port=" + redis.port())
            .run((context) -> {
                RedisBroker broker = context.getBean(RedisBroker.class);
                assertThat(context.getBean(WebSocketServerOptions.class).broker()).isSameAs(broker);
                await().atMost(WAIT).until(() -> broker.state() == BrokerState.UP);
                assertThat(broker.options().redisUri().getPort()).isEqualTo(redis.port());
            });
    }

    @Test
    void aServiceConnectionsRedisConnectionDetailsWinOverTheProperties() {
        this.contextRunner.withUserConfiguration(ServiceConnection.class)
            .withPropertyValues("fanout.broker.type=redis", "spring.data.redis.port=1")
            .run((context) -> {
                RedisBroker broker = context.getBean(RedisBroker.class);
                await().atMost(WAIT).until(() -> broker.state() == BrokerState.UP);
                assertThat(broker.options().redisUri().getPort()).isEqualTo(redis.port());
            });
    }

    @Test
    void fanoutBrokerRedisPropertiesConfigureTheBroker() {
        this.contextRunner
            .withPropertyValues("fanout.broker.type=redis", "spring.data.redis.port=" + redis.port(),
                    "spring.data.redis.password=secret", "spring.data.redis.database=0",
                    "fanout.broker.redis.channel-prefix=shop", "fanout.broker.redis.subscribe-batch-size=50",
                    "fanout.broker.redis.unsubscribe-delay=3s", "fanout.broker.redis.outbound-buffer-size=123",
                    "fanout.broker.redis.min-reconnect-delay=10ms", "fanout.broker.redis.max-reconnect-delay=20s",
                    "fanout.broker.redis.connect-timeout=7s")
            .run((context) -> {
                RedisBrokerOptions options = context.getBean(RedisBroker.class).options();
                assertThat(options.channelPrefix()).isEqualTo("shop");
                assertThat(options.subscribeBatchSize()).isEqualTo(50);
                assertThat(options.unsubscribeDelay()).isEqualTo(Duration.ofSeconds(3));
                assertThat(options.outboundBufferSize()).isEqualTo(123);
                assertThat(options.minReconnectDelay()).isEqualTo(Duration.ofMillis(10));
                assertThat(options.maxReconnectDelay()).isEqualTo(Duration.ofSeconds(20));
                assertThat(options.redisUri().getTimeout()).isEqualTo(Duration.ofSeconds(7));
                assertThat(options.redisUri().getCredentialsProvider().resolveCredentials().block().getPassword())
                    .isEqualTo("secret".toCharArray());
                assertThat(options.redisUri().isSsl()).isFalse();
            });
    }

    @Test
    void anInvalidFanoutBrokerRedisPropertyFailsStartUpNamingTheValue() {
        this.contextRunner
            .withPropertyValues("fanout.broker.type=redis", "spring.data.redis.port=" + redis.port(),
                    "fanout.broker.redis.channel-prefix=has space")
            .run((context) -> assertThat(context).hasFailed()
                .getFailure()
                .rootCause()
                .hasMessageContaining("channelPrefix")
                .hasMessageContaining("has space"));
    }

    @Test
    void whenFanoutRedisIsNotOnTheClassPathBrokerTypeRedisFailsStartUpSayingWhatToAdd() {
        this.contextRunner.withClassLoader(new FilteredClassLoader(RedisBroker.class))
            .withPropertyValues("fanout.broker.type=redis")
            .run((context) -> assertThat(context).hasFailed()
                .getFailure()
                .rootCause()
                .hasMessage(FanoutRedisBrokerAutoConfiguration.MISSING_MODULES));
    }

    @Test
    void anApplicationDefinedBrokerWins() {
        this.contextRunner.withUserConfiguration(OwnBroker.class)
            .withPropertyValues("fanout.broker.type=redis", "spring.data.redis.port=" + redis.port())
            .run((context) -> {
                assertThat(context).doesNotHaveBean(RedisBroker.class);
                assertThat(context.getBean(WebSocketServerOptions.class).broker())
                    .isSameAs(context.getBean("ownBroker"));
            });
    }

    @Test
    void brokerStateChangesArePublishedAsApplicationEvents() {
        try (RedisServer ownRedis = RedisServer.start()) {
            this.contextRunner.withUserConfiguration(StateRecorder.class)
                .withPropertyValues("fanout.broker.type=redis", "spring.data.redis.port=" + ownRedis.port(),
                        "fanout.broker.redis.max-reconnect-delay=200ms")
                .run((context) -> {
                    List<BrokerStateChangeEvent> events = context.getBean(StateRecorder.class).events;
                    RedisBroker broker = context.getBean(RedisBroker.class);
                    await().atMost(WAIT).until(() -> events.size() == 1);

                    ownRedis.kill();
                    await().atMost(WAIT).until(() -> events.size() == 2);
                    ownRedis.restart();
                    await().atMost(WAIT).until(() -> events.size() == 3);

                    assertThat(events).extracting(BrokerStateChangeEvent::getState)
                        .containsExactly(BrokerState.UP, BrokerState.DOWN, BrokerState.UP);
                    assertThat(events).allSatisfy((event) -> assertThat(event.getBroker()).isSameAs(broker));
                });
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ServiceConnection {

        @Bean
        DataRedisConnectionDetails redisServiceConnection() {
            return new DataRedisConnectionDetails() {

                @Override
                public Standalone getStandalone() {
                    return Standalone.of("127.0.0.1", redis.port());
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBroker {

        @Bean
        Broker ownBroker() {
            return new Broker() {

                @Override
                public void attach(Node node) {
                }

                @Override
                public void publish(String topic, String frame) {
                }

                @Override
                public java.util.concurrent.CompletionStage<Void> subscribe(String topic) {
                    return java.util.concurrent.CompletableFuture.completedStage(null);
                }

                @Override
                public void unsubscribe(String topic) {
                }

                @Override
                public BrokerState state() {
                    return BrokerState.UP;
                }

                @Override
                public void close() {
                }
            };
        }
    }

    static class StateRecorder implements ApplicationListener<BrokerStateChangeEvent> {

        final List<BrokerStateChangeEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void onApplicationEvent(BrokerStateChangeEvent event) {
            this.events.add(event);
        }
    }
}
