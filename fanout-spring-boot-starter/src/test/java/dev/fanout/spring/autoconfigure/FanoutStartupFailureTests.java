package dev.fanout.spring.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.assertj.ApplicationContextAssertProvider;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;

import dev.fanout.WebSocketServerEventTarget;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a user sees when the starter cannot run: the failure analysis Boot prints (loaded from
 * {@code spring.factories} and ordered as Boot orders them) for an unsupported stack and for each property out of
 * range, and the WARN where start-up succeeds without a hub.
 */
@ExtendWith(OutputCaptureExtension.class)
class FanoutStartupFailureTests {

    private final AtomicReference<ConfigurableApplicationContext> started = new AtomicReference<>();

    private final WebApplicationContextRunner servlet = new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(FanoutAutoConfiguration.class, FanoutReactiveAutoConfiguration.class))
        .withInitializer(this.started::set);

    private final ReactiveWebApplicationContextRunner reactive = new ReactiveWebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(FanoutAutoConfiguration.class, FanoutReactiveAutoConfiguration.class))
        .withInitializer(this.started::set);

    @Test
    void aWebFluxApplicationThatInjectsTheHubFailsSayingWebFluxIsNotSupportedAndWhatToDo() {
        this.reactive.withUserConfiguration(NeedsTheHub.class).run((context) -> {
            FailureAnalysis analysis = analysisOf(context);
            assertThat(analysis.getDescription()).contains("'dev.fanout.WebSocketServerEventTarget'")
                .contains("reactive (WebFlux) web application")
                .contains("runs only in a servlet web application");
            assertThat(analysis.getAction()).contains("spring-boot-starter-webmvc")
                .contains("spring.main.web-application-type=servlet");
        });
    }

    @Test
    void aWebFluxApplicationThatDoesNotInjectTheHubStartsAndWarnsOnceReady(CapturedOutput output) {
        this.reactive.run((context) -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(WebSocketServerEventTarget.class);
            assertThat(output).doesNotContain("fanout does not support");
            context.publishEvent(new ApplicationReadyEvent(new SpringApplication(), new String[0],
                    context.getSourceApplicationContext(), Duration.ZERO));
            assertThat(output).containsOnlyOnce("fanout does not support reactive (WebFlux) web applications");
        });
    }

    @Test
    void aWebFluxApplicationWithFanoutDisabledDoesNotWarn(CapturedOutput output) {
        this.reactive.withPropertyValues("fanout.enabled=false").run((context) -> {
            context.publishEvent(new ApplicationReadyEvent(new SpringApplication(), new String[0],
                    context.getSourceApplicationContext(), Duration.ZERO));
            assertThat(output).doesNotContain("fanout does not support");
        });
    }

    @Test
    void aNonWebApplicationThatInjectsTheHubFailsSayingItNeedsAServletWebApplication() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(FanoutAutoConfiguration.class))
            .withInitializer(this.started::set)
            .withUserConfiguration(NeedsTheHub.class)
            .run((context) -> {
                FailureAnalysis analysis = analysisOf(context);
                assertThat(analysis.getDescription()).contains("this is not a web application");
                assertThat(analysis.getAction()).contains("spring-boot-starter-webmvc");
            });
    }

    @Test
    void aServletApplicationWithFanoutDisabledThatInjectsTheHubFailsNamingFanoutEnabled() {
        this.servlet.withPropertyValues("fanout.enabled=false").withUserConfiguration(NeedsTheHub.class)
            .run((context) -> assertThat(analysisOf(context).getDescription()).contains("fanout.enabled is false"));
    }

    @Test
    void aMissingBeanOfAnotherLibraryIsLeftToBootsOwnAnalysis() {
        this.reactive.withUserConfiguration(NeedsAString.class)
            .run((context) -> assertThat(analysisOf(context).getDescription())
                .contains("required a bean of type 'java.lang.String' that could not be found")
                .doesNotContain("fanout starter"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            fanout.path                             | nope | must be a plain path starting with '/'
            fanout.path                             | /a b | must be a plain path starting with '/'
            fanout.path                             | /x/* | must be a plain path starting with '/'
            fanout.backpressure.threshold           | -1   | must be a positive size
            fanout.backpressure.threshold           | 0    | must be a positive size
            fanout.max-message-size                 | 0    | must be a positive size
            fanout.max-topic-length                 | 0    | must be a positive number
            fanout.max-subscriptions-per-connection | -5   | must be a positive number
            fanout.send-stall-timeout               | 0s   | must be a positive duration
            fanout.heartbeat.interval               | -1s  | must be a positive duration
            fanout.heartbeat.timeout                | 1s   | must be more than twice fanout.heartbeat.interval (PT25S)
            fanout.heartbeat.timeout                | 50s  | must be more than twice fanout.heartbeat.interval (PT25S)
            """)
    void aPropertyOutOfRangeFailsStartUpWithAMessageNamingTheProperty(String property, String value, String reason) {
        this.servlet.withPropertyValues(property + "=" + value).run((context) -> {
            String description = analysisOf(context).getDescription();
            assertThat(description).contains("Property: " + property).contains("Value: \"").contains(reason);
        });
    }

    @Test
    void anEmptyAllowedOriginFailsStartUpNamingTheProperty() {
        this.servlet.withPropertyValues("fanout.allowed-origins[0]=https://a.example", "fanout.allowed-origins[1]= ")
            .run((context) -> assertThat(analysisOf(context).getDescription())
                .contains("Property: fanout.allowed-origins")
                .contains("must not contain an empty entry"));
    }

    @Test
    void aHeartbeatTimeoutJustAboveTwiceTheIntervalIsAccepted() {
        this.servlet.withPropertyValues("fanout.heartbeat.interval=10s", "fanout.heartbeat.timeout=21s")
            .run((context) -> assertThat(context).hasNotFailed());
    }

    private FailureAnalysis analysisOf(ApplicationContextAssertProvider<?> context) {
        Throwable failure = context.getStartupFailure();
        assertThat(failure).as("the start-up failure").isNotNull();
        ConfigurableApplicationContext source = this.started.get();
        // Boot loads the analyzers like this (FailureAnalyzers), skipping those whose optional classes are missing.
        ArgumentResolver arguments = ArgumentResolver.of(BeanFactory.class, source.getBeanFactory())
            .and(Environment.class, source.getEnvironment());
        List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation()
            .load(FailureAnalyzer.class, arguments, FailureHandler.handleMessage((message, ex) -> {
            }));
        for (FailureAnalyzer analyzer : analyzers) {
            FailureAnalysis analysis = analyzer.analyze(failure);
            if (analysis != null) {
                return analysis;
            }
        }
        throw new AssertionError("No failure analyzer explained " + failure);
    }

    @Configuration(proxyBeanMethods = false)
    static class NeedsTheHub {

        @Bean
        String usesTheHub(WebSocketServerEventTarget hub) {
            return hub.toString();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class NeedsAString {

        @Bean
        Integer usesAString(String text) {
            return text.length();
        }
    }
}
