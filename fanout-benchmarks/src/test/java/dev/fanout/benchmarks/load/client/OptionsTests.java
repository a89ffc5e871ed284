package dev.fanout.benchmarks.load.client;

import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class OptionsTests {

    @Test
    void theStalledFractionPicksThatManySubscribersSpreadEvenly() {
        Options options = Options.parse(new String[] { "--server=fanout", "--port=1", "--server-pid=1",
                "--subscribers=1000", "--stalled=0.1" });

        int[] stalled = IntStream.range(0, 1000).filter(options::isStalled).toArray();

        assertThat(stalled).hasSize(100);
        assertThat(IntStream.range(1, stalled.length).map((i) -> stalled[i] - stalled[i - 1]).distinct().toArray())
                .containsExactly(10);
    }

    @Test
    void noSubscriberStallsByDefault() {
        Options options = Options.parse(new String[] { "--server=stomp", "--port=1", "--server-pid=1" });

        assertThat(IntStream.range(0, options.subscribers()).filter(options::isStalled)).isEmpty();
    }

    @Test
    void anUnknownOptionIsRefusedRatherThanIgnored() {
        assertThatIllegalArgumentException().isThrownBy(() -> Options.parse(new String[] { "--server=fanout",
                "--port=1", "--server-pid=1", "--subscriber=10" })).withMessageContaining("subscriber");
    }
}
