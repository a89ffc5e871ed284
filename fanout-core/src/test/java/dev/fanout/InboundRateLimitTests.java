package dev.fanout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.fanout.testing.InMemoryRawSocket;
import dev.fanout.testing.ManualTimeSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class InboundRateLimitTests {

    private static final int RATE = 10;

    private static final int BURST = 5;

    private static final Duration CLOSE_AFTER = Duration.ofSeconds(3);

    private final ManualTimeSource time = new ManualTimeSource();

    private final WebSocketServerEventTarget hub = WebSocketServerEventTarget.create(WebSocketServerOptions.builder()
        .inboundRateLimit(InboundRateLimit.of(RATE, BURST, CLOSE_AFTER))
        .timeSource(this.time)
        .build());

    private final List<Event> received = new CopyOnWriteArrayList<>();

    private final InMemoryRawSocket flooder = new InMemoryRawSocket("flooder");

    InboundRateLimitTests() {
        this.hub.addEventListener("chat", this.received::add);
        this.hub.addConnection(this.flooder);
    }

    @Test
    void aBurstIsAdmittedAndMessagesBeyondItAreDroppedAndCounted() {
        IntStream.range(0, BURST + 3).forEach((n) -> this.flooder.receiveText(Frames.event("chat", n)));

        assertThat(this.received).hasSize(BURST);
        assertThat(this.hub.droppedInboundMessageCount()).isEqualTo(3);
        assertThat(this.flooder.isOpen()).isTrue();
        assertThat(this.flooder.sentMessages()).isEmpty();
    }

    @Test
    void aDroppedMessageWithAnIdIsAnsweredRateLimited() {
        IntStream.range(0, BURST).forEach((n) -> this.flooder.receiveText(Frames.event("chat", n)));

        this.flooder.receiveText(Frames.event("chat", "m1", "one too many"));
        this.flooder.receiveText(Frames.subscribe("news", "s1"));

        assertThat(this.flooder.sentMessages()).extracting(Frames::replySummary)
            .containsExactly("__error:m1:rate_limited", "__error:s1:rate_limited");
        assertThat(Frames.parse(this.flooder.sentMessages().get(1)).at("/payload/topic").stringValue())
            .isEqualTo("news");
        assertThat(this.hub.topicSubscriberCounts()).isEmpty();
    }

    @Test
    void aDroppedMessageGetsNoReplyWhileHalfTheBackpressureThresholdIsBufferedForTheSpoke() {
        IntStream.range(0, BURST).forEach((n) -> this.flooder.receiveText(Frames.event("chat", n)));
        this.flooder.setBufferedAmount(WebSocketServerOptions.DEFAULT_BACKPRESSURE_THRESHOLD / 2 + 1);

        this.flooder.receiveText(Frames.event("chat", "m1", "unread replies pile up"));
        this.flooder.setBufferedAmount(0);
        this.flooder.receiveText(Frames.event("chat", "m2", "replies are read again"));

        assertThat(this.flooder.sentMessages()).extracting(Frames::replySummary)
            .containsExactly("__error:m2:rate_limited");
        assertThat(this.hub.droppedInboundMessageCount()).isEqualTo(2);
        assertThat(this.flooder.isOpen()).isTrue();
    }

    @Test
    void theBucketRefillsAtTheConfiguredRate() {
        IntStream.range(0, BURST).forEach((n) -> this.flooder.receiveText(Frames.event("chat", n)));

        this.time.advance(Duration.ofMillis(1000 / RATE * 2));
        IntStream.range(0, 3).forEach((n) -> this.flooder.receiveText(Frames.event("chat", n)));

        assertThat(this.received).hasSize(BURST + 2);
        assertThat(this.hub.droppedInboundMessageCount()).isOne();
    }

    @Test
    void aSpokeThatStaysOverTheLimitForTheConfiguredTimeIsClosedWithPolicyViolation() {
        IntStream.range(0, BURST).forEach((n) -> this.flooder.receiveText(Frames.event("chat", n)));
        this.flooder.receiveText(Frames.event("chat", "dropped"));

        for (Duration elapsed = Duration.ZERO; elapsed.compareTo(CLOSE_AFTER) < 0; elapsed = elapsed
            .plusMillis(50)) {
            assertThat(this.flooder.isOpen()).as("open after %s over the limit", elapsed).isTrue();
            this.time.advance(Duration.ofMillis(50));
            this.flooder.receiveText(Frames.event("chat", "a"));
            this.flooder.receiveText(Frames.event("chat", "b"));
        }

        assertThat(this.flooder.isOpen()).isFalse();
        assertThat(this.flooder.closeCode()).isEqualTo(CloseCodes.POLICY_VIOLATION);
        assertThat(this.hub.connectionCount()).isZero();
    }

    @Test
    void aSpokeThatBurstsAndThenSlowsDownIsNeverClosed() {
        for (int round = 0; round < 10; round++) {
            IntStream.range(0, BURST + 2).forEach((n) -> this.flooder.receiveText(Frames.event("chat", n)));
            this.time.advance(Duration.ofSeconds(2));
        }

        assertThat(this.flooder.isOpen()).isTrue();
        assertThat(this.hub.droppedInboundMessageCount()).isEqualTo(20);
    }

    @Test
    void oneSpokeOverTheLimitDoesNotLimitAnother() {
        InMemoryRawSocket healthy = new InMemoryRawSocket("healthy");
        this.hub.addConnection(healthy);
        IntStream.range(0, BURST * 4).forEach((n) -> this.flooder.receiveText(Frames.event("chat", n)));

        IntStream.range(0, BURST).forEach((n) -> healthy.receiveText(Frames.event("chat", "healthy")));

        assertThat(this.received).filteredOn((event) -> "healthy".equals(event.payloadAs(String.class)))
            .hasSize(BURST);
    }

    @Test
    void withoutALimitNothingIsDropped() {
        WebSocketServerEventTarget unlimited = WebSocketServerEventTarget.create();
        List<Event> events = new CopyOnWriteArrayList<>();
        unlimited.addEventListener("chat", events::add);
        InMemoryRawSocket socket = new InMemoryRawSocket("spoke");
        unlimited.addConnection(socket);

        IntStream.range(0, 10_000).forEach((n) -> socket.receiveText(Frames.event("chat", n)));

        assertThat(events).hasSize(10_000);
        assertThat(unlimited.droppedInboundMessageCount()).isZero();
    }

    @Test
    void aLimitRejectsValuesThatAreNotPositive() {
        assertThatIllegalArgumentException().isThrownBy(() -> InboundRateLimit.of(0, 1, CLOSE_AFTER));
        assertThatIllegalArgumentException().isThrownBy(() -> InboundRateLimit.of(Double.NaN, 1, CLOSE_AFTER));
        assertThatIllegalArgumentException().isThrownBy(() -> InboundRateLimit.of(1, 0, CLOSE_AFTER));
        assertThatIllegalArgumentException().isThrownBy(() -> InboundRateLimit.of(1, 1, Duration.ZERO));
        assertThat(InboundRateLimit.unlimited().isUnlimited()).isTrue();
        assertThat(InboundRateLimit.of(1, 1, CLOSE_AFTER).isUnlimited()).isFalse();
    }
}
