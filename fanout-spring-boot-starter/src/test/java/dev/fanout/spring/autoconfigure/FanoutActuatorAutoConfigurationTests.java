package dev.fanout.spring.autoconfigure;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.fanout.BrokerState;
import dev.fanout.Event;
import dev.fanout.WebSocketServerEventTarget;
import dev.fanout.WebSocketServerOptions;
import dev.fanout.spring.actuate.FanoutEndpoint;
import dev.fanout.spring.actuate.FanoutHealthIndicator;
import dev.fanout.spring.metrics.FanoutMetrics;
import dev.fanout.spring.shutdown.SpokeDrain;
import dev.fanout.testing.InMemoryRawSocket;

import static org.assertj.core.api.Assertions.assertThat;

class FanoutActuatorAutoConfigurationTests {

    private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(FanoutAutoConfiguration.class,
                FanoutShutdownAutoConfiguration.class, FanoutActuatorAutoConfiguration.class))
        .withPropertyValues("management.endpoints.web.exposure.include=health,fanout");

    @Test
    void withMicrometerAndActuatorTheMetricsTheHealthIndicatorAndTheEndpointAreConfigured() {
        this.contextRunner.run((context) -> assertThat(context).hasSingleBean(FanoutMetrics.class)
            .hasSingleBean(FanoutHealthIndicator.class)
            .hasBean("fanoutHealthIndicator")
            .hasSingleBean(FanoutEndpoint.class));
    }

    @Test
    void whenMicrometerIsNotOnTheClassPathTheMetricsBackOffAndTheRestStays() {
        this.contextRunner.withClassLoader(new FilteredClassLoader(MeterBinder.class))
            .run((context) -> assertThat(context).hasNotFailed()
                .doesNotHaveBean(FanoutMetrics.class)
                .hasSingleBean(FanoutHealthIndicator.class)
                .hasSingleBean(FanoutEndpoint.class));
    }

    @Test
    void whenActuatorHealthIsNotOnTheClassPathTheHealthIndicatorBacksOff() {
        this.contextRunner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
            .run((context) -> assertThat(context).hasNotFailed()
                .doesNotHaveBean(FanoutHealthIndicator.class)
                .hasSingleBean(FanoutMetrics.class));
    }

    @Test
    void whenActuatorIsNotOnTheClassPathTheEndpointBacksOff() {
        this.contextRunner.withClassLoader(new FilteredClassLoader(Endpoint.class))
            .run((context) -> assertThat(context).hasNotFailed()
                .doesNotHaveBean(FanoutEndpoint.class)
                .hasSingleBean(FanoutMetrics.class));
    }

    @Test
    void withoutMicrometerAndActuatorTheHubStillStarts() {
        this.contextRunner
            .withClassLoader(new FilteredClassLoader(MeterBinder.class, HealthIndicator.class, Endpoint.class))
            .run((context) -> assertThat(context).hasNotFailed()
                .hasSingleBean(WebSocketServerEventTarget.class)
                .doesNotHaveBean(FanoutMetrics.class)
                .doesNotHaveBean(FanoutHealthIndicator.class)
                .doesNotHaveBean(FanoutEndpoint.class));
    }

    @Test
    void theHealthIndicatorBacksOffWhenDisabledByProperty() {
        this.contextRunner.withPropertyValues("management.health.fanout.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(FanoutHealthIndicator.class));
    }

    @Test
    void theEndpointBacksOffWhenNotExposed() {
        new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FanoutAutoConfiguration.class,
                    FanoutActuatorAutoConfiguration.class))
            .run((context) -> assertThat(context).doesNotHaveBean(FanoutEndpoint.class)
                .hasSingleBean(FanoutHealthIndicator.class));
    }

    @Test
    void whenTheHubIsTurnedOffNothingOperationalIsConfigured() {
        this.contextRunner.withPropertyValues("fanout.enabled=false")
            .run((context) -> assertThat(context).hasNotFailed()
                .doesNotHaveBean(FanoutMetrics.class)
                .doesNotHaveBean(FanoutHealthIndicator.class)
                .doesNotHaveBean(FanoutEndpoint.class));
    }

    @Test
    void anApplicationsOwnMetricsBinderReplacesTheStartersOne() {
        this.contextRunner.withUserConfiguration(OwnMetrics.class)
            .run((context) -> assertThat(context).getBean(FanoutMetrics.class)
                .isSameAs(context.getBean(OwnMetrics.class).metrics));
    }

    @Test
    void theMeterNamesAreTheDocumentedOnesAndUntaggedByTopicByDefault() {
        this.contextRunner.run((context) -> {
            MeterRegistry registry = new SimpleMeterRegistry();
            context.getBean(FanoutMetrics.class).bindTo(registry);
            WebSocketServerEventTarget hub = context.getBean(WebSocketServerEventTarget.class);
            InMemoryRawSocket socket = new InMemoryRawSocket("alice");
            hub.addConnection(socket);
            socket.receiveText("{\"type\":\"__subscribe\",\"payload\":{\"topic\":\"news\"}}");
            hub.dispatchEvent(Event.of("news"));

            assertThat(registry.get(FanoutMetrics.SPOKES_ACTIVE).gauge().value()).isEqualTo(1);
            assertThat(registry.get(FanoutMetrics.TOPICS_ACTIVE).gauge().value()).isEqualTo(1);
            assertThat(registry.get(FanoutMetrics.SUBSCRIPTIONS_ACTIVE).gauge().value()).isEqualTo(1);
            assertThat(registry.get(FanoutMetrics.SPOKE_BUFFERED_BYTES).gauge().value()).isZero();
            assertThat(registry.get(FanoutMetrics.EVENTS_DISPATCHED).functionCounter().count()).isEqualTo(1);
            assertThat(registry.get(FanoutMetrics.EVENTS_DISPATCHED).functionCounter().getId().getTags()).isEmpty();
            assertThat(registry.get(FanoutMetrics.EVENTS_DELIVERED).functionCounter().count()).isEqualTo(1);
            assertThat(registry.get(FanoutMetrics.EVENTS_RECEIVED).functionCounter().count()).isZero();
            assertThat(registry.get(FanoutMetrics.INBOUND_IGNORED).functionCounters())
                .hasSize(dev.fanout.HubStatistics.IgnoredReason.values().length);
            assertThat(registry.get(FanoutMetrics.SPOKES_CLOSED).functionCounters()).extracting((c) -> c.getId()
                .getTag("code")).containsExactlyInAnyOrder("1000", "1001", "1006", "1008", "1009", "1011", "1013",
                        "other");
            assertThat(registry.get(FanoutMetrics.SUBSCRIPTIONS_DENIED).functionCounter().count()).isZero();
        });
    }

    @Test
    void thePausedPublishersGaugeAndThePausesCounterFollowFlowControl() {
        this.contextRunner.run((context) -> {
            MeterRegistry registry = new SimpleMeterRegistry();
            context.getBean(FanoutMetrics.class).bindTo(registry);
            WebSocketServerEventTarget hub = context.getBean(WebSocketServerEventTarget.class);
            hub.addSpokeEventListener("chat", (event, from) -> hub.dispatchEvent(Event.of("news", event.payload())));
            InMemoryRawSocket reader = new InMemoryRawSocket("reader");
            hub.addConnection(reader);
            reader.receiveText("{\"type\":\"__subscribe\",\"payload\":{\"topic\":\"news\"}}");
            reader.setBufferedAmount(context.getBean(WebSocketServerOptions.class).flowControl().highWaterMark() + 1);
            InMemoryRawSocket publisher = InMemoryRawSocket.pausable("publisher");
            hub.addConnection(publisher);

            publisher.receiveText("{\"type\":\"chat\",\"payload\":\"hi\"}");

            assertThat(registry.get(FanoutMetrics.PUBLISHERS_PAUSED).gauge().value()).isEqualTo(1);
            assertThat(registry.get(FanoutMetrics.PUBLISHER_PAUSES).functionCounter().count()).isEqualTo(1);
        });
    }

    @Test
    void topicPrefixTagsTagTheEventCountersByPrefixWithTheRestAsOther() {
        this.contextRunner.withPropertyValues("fanout.metrics.topic-prefix-tags=prices.,chat").run((context) -> {
            MeterRegistry registry = new SimpleMeterRegistry();
            context.getBean(FanoutMetrics.class).bindTo(registry);
            WebSocketServerEventTarget hub = context.getBean(WebSocketServerEventTarget.class);
            hub.dispatchEvent(Event.of("prices.ACME"));
            hub.dispatchEvent(Event.of("news"));

            assertThat(registry.get(FanoutMetrics.EVENTS_DISPATCHED).functionCounters())
                .extracting((counter) -> counter.getId().getTag(FanoutMetrics.TOPIC_PREFIX_TAG))
                .containsExactlyInAnyOrder("prices.", "chat", "other");
            assertThat(registry.get(FanoutMetrics.EVENTS_DISPATCHED)
                .tag(FanoutMetrics.TOPIC_PREFIX_TAG, "prices.")
                .functionCounter()
                .count()).isEqualTo(1);
            assertThat(registry.get(FanoutMetrics.EVENTS_DISPATCHED)
                .tag(FanoutMetrics.TOPIC_PREFIX_TAG, "other")
                .functionCounter()
                .count()).isEqualTo(1);
        });
    }

    @Test
    void invalidTopicPrefixTagsFailStartUpNamingTheProperty() {
        for (String prefixes : new String[] { "prices.,prices.", "other", "a,,b" }) {
            this.contextRunner.withPropertyValues("fanout.metrics.topic-prefix-tags=" + prefixes)
                .run((context) -> assertThat(context).hasFailed()
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("fanout.metrics.topic-prefix-tags"));
        }
    }

    @Test
    void theHealthIsUpWithSpokesTopicsAndBrokerDetailsOnASingleNode() {
        this.contextRunner.run((context) -> {
            var health = context.getBean(FanoutHealthIndicator.class).health(true);
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("broker", "local")
                .containsEntry("spokes", 0)
                .containsEntry("topics", 0);
        });
    }

    @Test
    void theEndpointSummaryShowsTheConfiguredLimits() {
        this.contextRunner.withPropertyValues("fanout.max-topic-length=100", "fanout.shutdown.drain-period=3s")
            .run((context) -> {
                FanoutEndpoint.Summary summary = context.getBean(FanoutEndpoint.class).summary();
                assertThat(summary.spokes()).isZero();
                assertThat(summary.broker()).isEqualTo("local");
                assertThat(summary.acceptingSpokes()).isTrue();
                assertThat(summary.limits().maxTopicLength()).isEqualTo(100);
                assertThat(summary.limits().drainPeriod()).hasSeconds(3);
            });
    }

    @Test
    void onASingleNodeThereAreNoBrokerMeters() {
        this.contextRunner.run((context) -> {
            MeterRegistry registry = new SimpleMeterRegistry();
            context.getBean(FanoutMetrics.class).bindTo(registry);
            assertThat(registry.find(FanoutMetrics.BROKER_PUBLISHED).meters()).isEmpty();
            assertThat(registry.find(FanoutMetrics.BROKER_LAG).meters()).isEmpty();
        });
    }

    @Test
    void inAClusterTheBrokerMetersReadTheBrokersFigures() {
        this.contextRunner.withUserConfiguration(ClusterBroker.class).run((context) -> {
            MeterRegistry registry = new SimpleMeterRegistry();
            context.getBean(FanoutMetrics.class).bindTo(registry);
            assertThat(registry.get(FanoutMetrics.BROKER_PUBLISHED).functionCounter().count()).isEqualTo(7);
            assertThat(registry.get(FanoutMetrics.BROKER_RECEIVED).functionCounter().count()).isEqualTo(5);
            assertThat(registry.get(FanoutMetrics.BROKER_DROPPED).functionCounter().count()).isEqualTo(2);
            assertThat(registry.get(FanoutMetrics.BROKER_RECOVERED).functionCounter().count()).isEqualTo(3);
            assertThat(registry.get(FanoutMetrics.BROKER_LAG).functionTimer().count()).isEqualTo(4);
            assertThat(registry.get(FanoutMetrics.BROKER_LAG).functionTimer().mean(TimeUnit.MILLISECONDS))
                .isEqualTo(2);
        });
    }

    @Test
    void theHealthIsDownWhileTheBrokerIsDownAndUpAgainWhenItIsBack() {
        this.contextRunner.withUserConfiguration(ClusterBroker.class).run((context) -> {
            SwitchableBroker broker = context.getBean(SwitchableBroker.class);
            FanoutHealthIndicator indicator = context.getBean(FanoutHealthIndicator.class);
            assertThat(indicator.health(true).getStatus()).isEqualTo(Status.UP);
            assertThat(indicator.health(true).getDetails()).containsEntry("broker", "up");

            broker.setState(BrokerState.DOWN);
            assertThat(indicator.health(true).getStatus()).isEqualTo(Status.DOWN);
            assertThat(indicator.health(true).getDetails()).containsEntry("broker", "down");
            assertThat(context.getBean(FanoutEndpoint.class).summary().broker()).isEqualTo("down");

            broker.setState(BrokerState.UP);
            assertThat(indicator.health(true).getStatus()).isEqualTo(Status.UP);
        });
    }

    @Test
    void theHealthIsOutOfServiceOnceTheShutdownDrainStarted() {
        this.contextRunner.run((context) -> {
            context.getBean(SpokeDrain.class).stop(() -> { });
            assertThat(context.getBean(FanoutHealthIndicator.class).health(true).getStatus())
                .isEqualTo(Status.OUT_OF_SERVICE);
            assertThat(context.getBean(FanoutEndpoint.class).summary().acceptingSpokes()).isFalse();
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class ClusterBroker {

        @Bean
        SwitchableBroker switchableBroker() {
            return new SwitchableBroker();
        }

        @Bean
        FanoutCustomizer clusterBrokerCustomizer(SwitchableBroker broker) {
            return (builder) -> builder.broker(broker);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnMetrics {

        final FanoutMetrics metrics = new FanoutMetrics(WebSocketServerEventTarget.create().statistics(),
                (code) -> 0, null);

        @Bean
        FanoutMetrics ownFanoutMetrics() {
            return this.metrics;
        }
    }
}
