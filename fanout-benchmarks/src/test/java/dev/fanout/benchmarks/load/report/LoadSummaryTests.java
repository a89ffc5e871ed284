package dev.fanout.benchmarks.load.report;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LoadSummaryTests {

    @Test
    void theMedianOfAnOddCountIsTheMiddleValueAndOfAnEvenCountTheMeanOfTheTwoMiddleValues() {
        assertThat(LoadSummary.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(LoadSummary.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
    }

    @Test
    void runsOnJettyAreComparedWithTheHubOnTomcatAsJettyOverTomcat() {
        LoadSummary.Comparison comparison = LoadSummary.Comparison.of(List.of("fanout", "fanout-jetty"));

        assertThat(comparison.subject()).isEqualTo("fanout-jetty");
        assertThat(comparison.baseline()).isEqualTo("fanout");
        assertThat(comparison.header()).contains("Jetty/Tomcat");
    }

    @Test
    void runsWithScrapedMetricsAreComparedWithTheHubWithoutMetricsAsWithOverWithout() {
        LoadSummary.Comparison comparison = LoadSummary.Comparison.of(List.of("fanout", "fanout-metrics"));

        assertThat(comparison.subject()).isEqualTo("fanout-metrics");
        assertThat(comparison.baseline()).isEqualTo("fanout");
        assertThat(comparison.header()).contains("with/without");
    }

    @Test
    void withoutJettyOrAnEarlierStarterTheHubIsComparedWithStomp() {
        LoadSummary.Comparison comparison = LoadSummary.Comparison.of(List.of("fanout", "stomp"));

        assertThat(comparison.subject()).isEqualTo("fanout");
        assertThat(comparison.baseline()).isEqualTo("stomp");
    }
}
