package dev.fanout.spring.autoconfigure;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.fanout.Broker;
import dev.fanout.BrokerState;
import dev.fanout.Event;
import dev.fanout.Frames;
import dev.fanout.HistoryStore;
import dev.fanout.WebSocketServerEventTarget;
import dev.fanout.WebSocketServerOptions;
import dev.fanout.redis.RedisBroker;
import dev.fanout.redis.RedisHistoryOptions;
import dev.fanout.redis.RedisHistoryStore;
import dev.fanout.redis.testing.RedisServer;
import dev.fanout.testing.InMemoryRawSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Redis history store that {@link FanoutRedisBrokerAutoConfiguration} puts next to the Redis broker, and how it
 * backs off.
 */
class FanoutRedisHistoryAutoConfigurationTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static RedisServer redis;

    private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
                FanoutRedisBrokerAutoConfiguration.class, FanoutAutoConfiguration.class))
        .withPropertyValues("fanout.history.rules[0].pattern=chat", "fanout.history.rules[0].size=10",
                "fanout.history.rules[0].ttl=1m");

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
    void brokerTypeRedisKeepsTheHistoryInRedisStreamsThatTheHubStampsItsDispatchesFrom() {
        this.contextRunner.withPropertyValues(redisProperties()).run((context) -> {
            HistoryStore.Factory store = context.getBean(HistoryStore.Factory.class);
            assertThat(context.getBean(WebSocketServerOptions.class).history().store()).isSameAs(store);
            await().atMost(WAIT).until(() -> context.getBean(RedisBroker.class).state() == BrokerState.UP);

            InMemoryRawSocket spoke = subscribedToChat(context.getBean(WebSocketServerEventTarget.class));
            context.getBean(WebSocketServerEventTarget.class).dispatchEvent(Event.of("chat", "hello"));

            await().atMost(WAIT).until(() -> spoke.sentMessages().contains(
                    "{\"type\":\"chat\",\"payload\":\"hello\",\"offset\":1}"));
            assertThat(redis.command("EXISTS", "fanout:history:{chat}:stream")).isEqualTo(1L);
        });
    }

    @Test
    void fanoutBrokerRedisHistoryPropertiesConfigureTheStore() {
        this.contextRunner
            .withPropertyValues(redisProperties())
            .withPropertyValues("fanout.broker.redis.history.key-prefix=app1:h:",
                    "fanout.broker.redis.history.meta-ttl=2h", "fanout.broker.redis.history.read-timeout=3s",
                    "fanout.broker.redis.history.gap-repair-max-held-back=50000",
                    "fanout.broker.redis.history.gap-repair-batch-size=200")
            .run((context) -> {
                assertThat(context.getBean(HistoryStore.Factory.class)).isEqualTo(RedisHistoryStore.factory(
                        new RedisHistoryOptions("app1:h:", Duration.ofHours(2), Duration.ofSeconds(3), 50_000, 200)));
                await().atMost(WAIT).until(() -> context.getBean(RedisBroker.class).state() == BrokerState.UP);
                InMemoryRawSocket spoke = subscribedToChat(context.getBean(WebSocketServerEventTarget.class));
                context.getBean(WebSocketServerEventTarget.class).dispatchEvent(Event.of("chat", "hi"));

                await().atMost(WAIT).until(() -> spoke.sentMessages().size() == 2);
                assertThat(redis.command("EXISTS", "app1:h:{chat}:stream")).isEqualTo(1L);
                assertThat((Long) redis.command("PTTL", "app1:h:{chat}:meta"))
                    .isBetween(Duration.ofMinutes(110).toMillis(), Duration.ofHours(2).toMillis());
            });
    }

    @Test
    void anApplicationDefinedHistoryStoreWins() {
        this.contextRunner.withPropertyValues(redisProperties())
            .withUserConfiguration(OwnStore.class)
            .run((context) -> {
                assertThat(context).hasSingleBean(HistoryStore.Factory.class);
                assertThat(context.getBean(WebSocketServerOptions.class).history().store())
                    .isSameAs(context.getBean(OwnStore.class).factory);
            });
    }

    @Test
    void withoutBrokerTypeRedisTheHistoryStaysInMemory() {
        this.contextRunner.run((context) -> {
            assertThat(context).doesNotHaveBean(HistoryStore.Factory.class);
            assertThat(context.getBean(WebSocketServerOptions.class).history().store())
                .isSameAs(HistoryStore.inMemory());
        });
    }

    @Test
    void anApplicationDefinedBrokerGetsNoRedisHistoryStore() {
        this.contextRunner.withPropertyValues(redisProperties())
            .withUserConfiguration(FanoutRedisBrokerAutoConfigurationTests.OwnBroker.class)
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context).doesNotHaveBean(HistoryStore.Factory.class);
                assertThat(context.getBean(WebSocketServerOptions.class).broker()).isNotInstanceOf(RedisBroker.class);
            });
    }

    private static String[] redisProperties() {
        return new String[] { "fanout.broker.type=redis", "spring.data.redis.host=127.0.0.1",
                "spring.data.redis.port=" + redis.port() };
    }

    private static InMemoryRawSocket subscribedToChat(WebSocketServerEventTarget hub) {
        InMemoryRawSocket spoke = new InMemoryRawSocket("spoke");
        hub.addConnection(spoke);
        spoke.receiveText(Frames.subscribe("chat", "s"));
        await().atMost(WAIT).until(() -> spoke.sentMessages().stream().anyMatch((frame) -> frame.contains("__ack")));
        return spoke;
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnStore {

        final HistoryStore.Factory factory = (hub) -> HistoryStore.inMemory().create(hub);

        @Bean
        HistoryStore.Factory ownHistoryStore() {
            return this.factory;
        }
    }
}
