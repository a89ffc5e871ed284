package dev.fanout.redis;

import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import dev.fanout.redis.ConnectionLifecycle.State;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The reconnect state machine with a fake connector, a recording listener and a virtual clock: every transition, in
 * the order the control thread would see it.
 */
class ConnectionLifecycleTests {

    private static final Duration MIN = Duration.ofMillis(100);

    private static final Duration MAX = Duration.ofMillis(800);

    private final ManualScheduler control = new ManualScheduler();

    private final FakeConnector connector = new FakeConnector();

    private final RecordingListener listener = new RecordingListener();

    private final ConnectionLifecycle<FakeLink> lifecycle = new ConnectionLifecycle<>(this.connector, this.listener,
            this.control, new ReconnectBackoff(MIN, MAX, (bound) -> bound - 1));

    @Test
    void startingConnectsOnTheControlThreadAndTurnsUpOnceTheLinkIsOpenHavingInstalledItFirst() {
        assertThat(this.lifecycle.state()).isEqualTo(State.NEW);

        this.lifecycle.start();
        assertThat(this.lifecycle.state()).isEqualTo(State.CONNECTING);
        assertThat(this.connector.attempts).isEmpty();
        this.control.runDue();
        FakeLink link = this.connector.succeed();

        assertThat(this.lifecycle.state()).isEqualTo(State.UP);
        assertThat(this.listener.events).containsExactly("opened " + link, "up " + link);
        assertThat(this.listener.stateAtOpened).isEqualTo(State.CONNECTING);
    }

    @Test
    void aFailedAttemptTurnsDownAnnouncedOnceAndRetriesAfterABackoffThatDoublesUntilASuccessResetsIt() {
        this.lifecycle.start();
        this.control.runDue();

        this.connector.fail("Connection refused");
        assertThat(this.lifecycle.state()).isEqualTo(State.RECONNECTING);
        this.control.advance(MIN.minusNanos(1));
        assertThat(this.connector.attempts).hasSize(1);
        this.control.advance(Duration.ofNanos(1));
        assertThat(this.connector.attempts).hasSize(2);
        assertThat(this.lifecycle.state()).isEqualTo(State.CONNECTING);
        this.connector.fail("Connection refused");
        this.control.advance(MIN.multipliedBy(2));
        this.connector.fail("Connection refused");
        this.control.advance(MIN.multipliedBy(4));
        FakeLink link = this.connector.succeed();

        assertThat(this.control.scheduledDelays()).containsExactly(MIN, MIN.multipliedBy(2), MIN.multipliedBy(4));
        assertThat(this.listener.events).containsExactly("down ConnectException: Connection refused (first)",
                "down ConnectException: Connection refused", "down ConnectException: Connection refused",
                "opened " + link, "up " + link);

        this.lifecycle.lost(link.pubSub);
        assertThat(this.control.scheduledDelays()).last().isEqualTo(MIN);
    }

    @Test
    void losingAConnectionOfTheLinkUninstallsAndClosesItAnnouncesDownOnceAndReconnects() {
        FakeLink first = up();

        this.lifecycle.lost(first.publishing);
        assertThat(this.lifecycle.state()).isEqualTo(State.RECONNECTING);
        assertThat(first.closed).isTrue();
        this.control.advance(MIN);
        this.connector.fail("Connection refused");
        this.control.advance(MAX);
        FakeLink second = this.connector.succeed();

        assertThat(this.listener.events).containsExactly("opened " + first, "up " + first, "lost " + first,
                "down the connection to Redis was lost (first)", "down ConnectException: Connection refused",
                "opened " + second, "up " + second);
        assertThat(this.lifecycle.state()).isEqualTo(State.UP);
    }

    @Test
    void aLostConnectionThatIsNotOneOfTheInstalledLinksChangesNothing() {
        FakeLink live = up();

        this.lifecycle.lost(new Object());
        this.lifecycle.lost(new FakeLink(1000).pubSub);

        assertThat(this.lifecycle.state()).isEqualTo(State.UP);
        assertThat(live.closed).isFalse();
        assertThat(this.control.pending()).isZero();
    }

    @Test
    void aLinkThatClosedWhileOpeningCountsAsAFailedAttemptAndIsClosed() {
        this.lifecycle.start();
        this.control.runDue();

        FakeLink halfOpen = this.connector.succeedClosed();

        assertThat(this.lifecycle.state()).isEqualTo(State.RECONNECTING);
        assertThat(halfOpen.closed).isTrue();
        assertThat(this.listener.events).containsExactly("down the connection closed while opening (first)");
    }

    @Test
    void closingWhileAnAttemptRunsClosesTheLinkItOpensAndNeverTurnsUp() {
        this.lifecycle.start();
        this.control.runDue();

        assertThat(this.lifecycle.close()).isTrue();
        FakeLink late = this.connector.succeed();

        assertThat(this.lifecycle.state()).isEqualTo(State.CLOSED);
        assertThat(late.closed).isTrue();
        assertThat(this.listener.events).isEmpty();
        assertThat(this.lifecycle.release()).isNull();
    }

    @Test
    void closingWhileReconnectingCancelsTheNextAttempt() {
        this.lifecycle.start();
        this.control.runDue();
        this.connector.fail("Connection refused");

        this.lifecycle.close();
        this.control.advance(MAX);

        assertThat(this.connector.attempts).hasSize(1);
        assertThat(this.lifecycle.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void closingWhenUpLeavesTheLinkForReleaseAndALaterLossChangesNothing() {
        FakeLink live = up();

        assertThat(this.lifecycle.close()).isTrue();
        this.lifecycle.lost(live.pubSub);

        assertThat(this.lifecycle.state()).isEqualTo(State.CLOSED);
        assertThat(this.listener.events).doesNotContain("lost " + live);
        assertThat(this.lifecycle.release()).isSameAs(live);
        assertThat(this.lifecycle.release()).isNull();
    }

    @Test
    void closedIsFinalClosingAgainReturnsFalseAndStartingThrows() {
        assertThat(this.lifecycle.close()).isTrue();

        assertThat(this.lifecycle.close()).isFalse();
        assertThatIllegalStateException().isThrownBy(this.lifecycle::start);
        assertThat(this.lifecycle.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void startingTwiceThrows() {
        this.lifecycle.start();

        assertThatIllegalStateException().isThrownBy(this.lifecycle::start);
    }

    @Test
    void onlyTheDrawnTransitionsAreAllowed() {
        List<String> allowed = new ArrayList<>();
        for (State from : State.values()) {
            for (State to : State.values()) {
                if (from.canMoveTo(to)) {
                    allowed.add(from + "->" + to);
                }
            }
        }

        assertThat(allowed).containsExactlyInAnyOrder("NEW->CONNECTING", "NEW->CLOSED", "CONNECTING->UP",
                "CONNECTING->RECONNECTING", "CONNECTING->CLOSED", "UP->RECONNECTING", "UP->CLOSED",
                "RECONNECTING->CONNECTING", "RECONNECTING->CLOSED");
    }

    private FakeLink up() {
        this.lifecycle.start();
        this.control.runDue();
        FakeLink link = this.connector.succeed();
        assertThat(this.lifecycle.state()).isEqualTo(State.UP);
        return link;
    }

    /** Two connections, as the broker's link has; each is a plain object Lettuce would report as lost. */
    static final class FakeLink {

        final Object pubSub = new Object();

        final Object publishing = new Object();

        final int number;

        boolean open = true;

        boolean closed;

        FakeLink(int number) {
            this.number = number;
        }

        @Override
        public String toString() {
            return "link " + this.number;
        }
    }

    /** Each attempt is a future the test completes, then the control thread's tasks run. */
    final class FakeConnector implements ConnectionLifecycle.Connector<FakeLink> {

        final List<CompletableFuture<FakeLink>> attempts = new ArrayList<>();

        @Override
        public CompletionStage<FakeLink> open() {
            CompletableFuture<FakeLink> attempt = new CompletableFuture<>();
            this.attempts.add(attempt);
            return attempt;
        }

        @Override
        public boolean isOpen(FakeLink link) {
            return link.open;
        }

        @Override
        public boolean owns(FakeLink link, Object connection) {
            return connection == link.pubSub || connection == link.publishing;
        }

        @Override
        public void close(FakeLink link) {
            link.closed = true;
        }

        FakeLink succeed() {
            FakeLink link = new FakeLink(this.attempts.size());
            current().complete(link);
            ConnectionLifecycleTests.this.control.runDue();
            return link;
        }

        FakeLink succeedClosed() {
            FakeLink link = new FakeLink(this.attempts.size());
            link.open = false;
            current().complete(link);
            ConnectionLifecycleTests.this.control.runDue();
            return link;
        }

        void fail(String message) {
            current().completeExceptionally(new RuntimeException("wrapped", new ConnectException(message)));
            ConnectionLifecycleTests.this.control.runDue();
        }

        private CompletableFuture<FakeLink> current() {
            assertThat(this.attempts).isNotEmpty();
            CompletableFuture<FakeLink> last = this.attempts.get(this.attempts.size() - 1);
            assertThat(last).isNotDone();
            return last;
        }
    }

    /** Records every step and the state at {@code opened}. */
    final class RecordingListener implements ConnectionLifecycle.Listener<FakeLink> {

        final List<String> events = new CopyOnWriteArrayList<>();

        State stateAtOpened;

        @Override
        public void opened(FakeLink link) {
            this.stateAtOpened = ConnectionLifecycleTests.this.lifecycle.state();
            this.events.add("opened " + link);
        }

        @Override
        public void up(FakeLink link) {
            this.events.add("up " + link);
        }

        @Override
        public void lost(FakeLink link) {
            this.events.add("lost " + link);
        }

        @Override
        public void down(String reason, boolean firstSinceUp) {
            this.events.add("down " + reason + (firstSinceUp ? " (first)" : ""));
        }
    }
}
