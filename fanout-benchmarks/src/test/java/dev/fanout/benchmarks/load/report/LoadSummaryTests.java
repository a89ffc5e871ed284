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
}
