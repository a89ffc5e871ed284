package dev.fanout.spring.autoconfigure;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import dev.fanout.HistoryOptions;
import dev.fanout.HistoryRule;
import dev.fanout.WebSocketServerOptions;

import static org.assertj.core.api.Assertions.assertThat;

class FanoutHistoryConfigurationTests {

    private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(FanoutAutoConfiguration.class));

    @Test
    void withoutHistoryRulesNoTopicKeepsAHistory() {
        this.contextRunner.run((context) -> assertThat(context.getBean(WebSocketServerOptions.class).history())
            .isEqualTo(HistoryOptions.none()));
    }

    @Test
    void historyRulesAndTheRecoveryLimitBindOntoTheHubInOrder() {
        this.contextRunner
            .withPropertyValues("fanout.history.rules[0].pattern=chat", "fanout.history.rules[0].size=500",
                    "fanout.history.rules[0].ttl=10m", "fanout.history.rules[1].pattern=prices.*",
                    "fanout.history.rules[1].size=1", "fanout.history.max-recovered-events=300")
            .run((context) -> {
                HistoryOptions history = context.getBean(WebSocketServerOptions.class).history();
                assertThat(history.rules()).containsExactly(new HistoryRule("chat", 500, Duration.ofMinutes(10)),
                        new HistoryRule("prices.*", 1, Duration.ofMinutes(5)));
                assertThat(history.maxRecoveredEvents()).isEqualTo(300);
            });
    }

    @Test
    void anInvalidHistoryRuleFailsTheStartNamingTheProperty() {
        this.contextRunner.withPropertyValues("fanout.history.rules[0].pattern=a*b").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("pattern 'a*b'");
            assertThat(context.getStartupFailure()).hasStackTraceContaining("fanout.history.rules[0]");
        });
    }

    @Test
    void aRuleWithoutAPatternFailsTheStart() {
        this.contextRunner.withPropertyValues("fanout.history.rules[0].size=5")
            .run((context) -> assertThat(context.getStartupFailure())
                .hasStackTraceContaining("fanout.history.rules[0]"));
    }

    @Test
    void aNonPositiveRecoveryLimitFailsTheStartNamingTheProperty() {
        this.contextRunner
            .withPropertyValues("fanout.history.rules[0].pattern=chat", "fanout.history.max-recovered-events=0")
            .run((context) -> assertThat(context.getStartupFailure())
                .hasStackTraceContaining("fanout.history.max-recovered-events"));
    }
}
