package dev.fanout.redis;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where inbound messages go, with a fake hub and history sink, a fixed wall clock and a hand-moved monotonic clock.
 */
class InboundRouterTests {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    private static final long NOW_MICROS = NOW.toEpochMilli() * 1_000;

    private final FakeHub hub = new FakeHub();

    private final LagMeter lag = new LagMeter(Clock.fixed(NOW, ZoneOffset.UTC));

    private final AtomicLong nanoClock = new AtomicLong(1_000);

    private final InboundRouter router = new InboundRouter(new ChannelNames("fanout"), this.lag, this.nanoClock::get);

    private final List<String> history = new CopyOnWriteArrayList<>();

    @Test
    void anotherNodesFrameGoesToTheHubAsReceivedAndCountsAsDeliveredWithItsLag() {
        this.router.attach(this.hub);

        this.router.route("fanout.t.news", new ReceiveCodec.Received.Frame("{\"a\":1}", NOW_MICROS - 2_000));

        assertThat(this.hub.delivered).containsExactly("news {\"a\":1}");
        assertThat(this.router.delivered()).isEqualTo(1);
        assertThat(this.lag.count()).isEqualTo(1);
        assertThat(this.lag.totalNanos()).isEqualTo(2_000_000);
    }

    @Test
    void aVersion1FrameIsDeliveredButNotCountedForTheLag() {
        this.router.attach(this.hub);

        this.router.route("fanout.t.news",
                new ReceiveCodec.Received.Frame("{}", ReceiveCodec.Received.NO_PUBLISH_TIME));

        assertThat(this.hub.delivered).containsExactly("news {}");
        assertThat(this.lag.count()).isZero();
    }

    @Test
    void thisNodesOwnPlainFramesAndMessagesOnForeignChannelsGoNowhere() {
        this.router.attach(this.hub);

        this.router.route("fanout.t.news", ReceiveCodec.Received.OWN);
        this.router.route("other.t.news", new ReceiveCodec.Received.Frame("{}", NOW_MICROS));
        this.router.route("fanout.t.", new ReceiveCodec.Received.Frame("{}", NOW_MICROS));

        assertThat(this.hub.delivered).isEmpty();
        assertThat(this.router.delivered()).isZero();
    }

    @Test
    void framesArrivingBeforeTheHubAttachedAreDropped() {
        this.router.route("fanout.t.news", new ReceiveCodec.Received.Frame("{}", NOW_MICROS));

        this.router.attach(this.hub);

        assertThat(this.hub.delivered).isEmpty();
        assertThat(this.router.delivered()).isZero();
    }

    @Test
    void stampedFramesOfEveryNodeThisOneIncludedGoToTheHistoryStoreButOnlyOthersCountAsReceived() {
        this.router.attach(this.hub);
        this.router.attachHistory((topic, offset, frame) -> this.history.add(topic + "#" + offset + " " + frame));

        this.router.route("fanout.t.news", new ReceiveCodec.Received.Stamped("{\"offset\":1}", NOW_MICROS, 1, true));
        this.router.route("fanout.t.news", new ReceiveCodec.Received.Stamped("{\"offset\":2}", NOW_MICROS, 2, false));

        assertThat(this.history).containsExactly("news#1 {\"offset\":1}", "news#2 {\"offset\":2}");
        assertThat(this.hub.delivered).isEmpty();
        assertThat(this.router.delivered()).isEqualTo(1);
        assertThat(this.lag.count()).isEqualTo(1);
    }

    @Test
    void withoutAHistoryStoreOtherNodesStampedFramesGoOutAsPlainOnesAndThisNodesAreIgnored() {
        this.router.attach(this.hub);

        this.router.route("fanout.t.news", new ReceiveCodec.Received.Stamped("{\"own\":1}", NOW_MICROS, 1, true));
        this.router.route("fanout.t.news", new ReceiveCodec.Received.Stamped("{\"other\":2}", NOW_MICROS, 2, false));

        assertThat(this.hub.delivered).containsExactly("news {\"other\":2}");
    }

    @Test
    void malformedMessagesAreCountedAndWarnedAboutAtMostOncePerIntervalWithTheirTextMadePrintable() {
        this.router.attach(this.hub);
        try (LogRecorder log = new LogRecorder()) {
            for (int n = 0; n < 5; n++) {
                this.router.route("fanout.t.news", new ReceiveCodec.Received.Malformed("bad", "x\u001b[31m"));
            }
            this.nanoClock.addAndGet(InboundRouter.MALFORMED_WARN_INTERVAL.toNanos() - 1);
            this.router.route("fanout.t.news", new ReceiveCodec.Received.Malformed("bad", "y"));
            assertThat(log.warnings()).hasSize(1);
            this.nanoClock.addAndGet(1);
            this.router.route("fanout.t.news", new ReceiveCodec.Received.Malformed("bad", "z"));

            assertThat(log.warnings()).containsExactly(
                    "Ignored a message on fanout.t.news: bad: 'x\\u001b[31m' (1 ignored so far; next warning in 10s "
                            + "at the earliest)",
                    "Ignored a message on fanout.t.news: bad: 'z' (7 ignored so far; next warning in 10s at the "
                            + "earliest)");
            assertThat(this.router.malformed()).isEqualTo(7);
            assertThat(this.hub.delivered).isEmpty();
        }
    }
}
