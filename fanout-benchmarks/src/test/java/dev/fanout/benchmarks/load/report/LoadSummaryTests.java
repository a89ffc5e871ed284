package dev.fanout.benchmarks.load.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class LoadSummaryTests {

    @Test
    void theMedianOfAnOddCountIsTheMiddleValueAndOfAnEvenCountTheMeanOfTheTwoMiddleValues() {
        assertThat(LoadSummary.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(LoadSummary.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
    }

    @Test
    void aScenarioWithStallsIsComparedWithTheScenarioOfTheSameLoadWithoutStalls() {
        Map<String, List<JsonNode>> byScenario = new LinkedHashMap<>();
        byScenario.put("max", List.of(run("{\"subscribers\":1000,\"payloadBytes\":256,\"events\":2000,\"rate\":0.0,"
                + "\"stalledFraction\":0.0}")));
        byScenario.put("slowbase", List.of(run("{\"subscribers\":1000,\"payloadBytes\":4096,\"events\":2000,"
                + "\"rate\":50.0,\"stalledFraction\":0.0}")));
        JsonNode slow = run("{\"subscribers\":1000,\"payloadBytes\":4096,\"events\":2000,\"rate\":50.0,"
                + "\"stalledFraction\":0.1}");
        byScenario.put("slow", List.of(slow));

        assertThat(LoadSummary.referenceOf(slow, byScenario)).contains("slowbase");
    }

    @Test
    void aScenarioWithoutStallsHasNoReference() {
        JsonNode max = run("{\"subscribers\":1000,\"payloadBytes\":256,\"events\":2000,\"rate\":0.0,"
                + "\"stalledFraction\":0.0}");

        assertThat(LoadSummary.referenceOf(max, Map.of("max", List.of(max)))).isEmpty();
    }

    @Test
    void aScenarioWithStallsButNoRunOfTheSameLoadWithoutHasNoReference() {
        JsonNode slow = run("{\"subscribers\":1000,\"payloadBytes\":4096,\"events\":2000,\"rate\":50.0,"
                + "\"stalledFraction\":0.1}");
        JsonNode other = run("{\"subscribers\":1000,\"payloadBytes\":256,\"events\":2000,\"rate\":50.0,"
                + "\"stalledFraction\":0.0}");

        assertThat(LoadSummary.referenceOf(slow, Map.of("slow", List.of(slow), "rate50", List.of(other)))).isEmpty();
    }

    @Test
    void runsOnJettyAreComparedWithTheHubOnTomcatAsJettyOverTomcat() {
        LoadSummary.Comparison comparison = LoadSummary.Comparison.of(List.of("fanout", "fanout-jetty"));

        assertThat(comparison.subject()).isEqualTo("fanout-jetty");
        assertThat(comparison.baseline()).isEqualTo("fanout");
        assertThat(comparison.header()).contains("Jetty/Tomcat");
    }

    @Test
    void runsWithFlowControlOffAreTheBaselineOfTheHubWithItOn() {
        LoadSummary.Comparison comparison = LoadSummary.Comparison.of(List.of("fanout-noflow", "fanout"));

        assertThat(comparison.subject()).isEqualTo("fanout");
        assertThat(comparison.baseline()).isEqualTo("fanout-noflow");
        assertThat(comparison.header()).contains("on/off");
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

    private static JsonNode run(String json) {
        return JsonMapper.builder().build().readTree(json);
    }
}
