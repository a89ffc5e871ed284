package dev.fanout.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The history store's on-demand connection with a fake opener whose attempts the test completes, and a hand-moved
 * clock: order of waiting commands, the retry delay, and closing.
 */
class HistoryConnectionTests {

    private static final Duration RETRY = Duration.ofMillis(100);

    private final FakeOpener opener = new FakeOpener();

    private final AtomicLong nanoClock = new AtomicLong();

    private final AtomicInteger dropped = new AtomicInteger();

    private final HistoryConnection<FakeConnection> connection = new HistoryConnection<>(this.opener, RETRY,
            this.nanoClock::get, this.dropped::addAndGet);

    @Test
    void commandsSubmittedWhileTheConnectionOpensAreSentInOrderBeforeAnyLaterOne() {
        this.connection.start();
        this.connection.submit((open) -> open.sent.add("first"));
        this.connection.submit((open) -> open.sent.add("second"));

        FakeConnection open = this.opener.succeed();
        this.connection.submit((target) -> target.sent.add("third"));

        assertThat(open.sent).containsExactly("first", "second", "third");
        assertThat(this.opener.attempts).hasSize(1);
    }

    @Test
    void aFailedAttemptDropsTheWaitingCommandsAndRefusesNewOnesForTheRetryDelay() {
        this.connection.start();
        this.connection.submit((open) -> open.sent.add("lost"));

        this.opener.fail();
        boolean duringDelay = this.connection.submit((open) -> open.sent.add("refused"));
        this.nanoClock.addAndGet(RETRY.toNanos());
        boolean afterDelay = this.connection.submit((open) -> open.sent.add("sent"));
        FakeConnection open = this.opener.succeed();

        assertThat(this.dropped).hasValue(1);
        assertThat(duringDelay).isFalse();
        assertThat(afterDelay).isTrue();
        assertThat(open.sent).containsExactly("sent");
        assertThat(this.opener.attempts).hasSize(2);
    }

    @Test
    void theBrokerReconnectingStartsAnAttemptAtOnceWhateverTheRetryDelay() {
        this.connection.start();
        this.opener.fail();

        this.connection.retryNow();

        assertThat(this.opener.attempts).hasSize(2);
        assertThat(this.connection.submit((open) -> open.sent.add("waits"))).isTrue();
    }

    @Test
    void aClosedConnectionIsReopenedByTheNextCommand() {
        this.connection.start();
        FakeConnection first = this.opener.succeed();
        first.open = false;

        this.connection.submit((open) -> open.sent.add("after the loss"));
        FakeConnection second = this.opener.succeed();

        assertThat(first.closed).isTrue();
        assertThat(first.sent).isEmpty();
        assertThat(second.sent).containsExactly("after the loss");
    }

    @Test
    void aCallerWaitingForTheConnectionGetsTheOneTheRunningAttemptOpens() {
        this.connection.start();
        CompletableFuture<FakeConnection> waiting = this.connection.connection();

        FakeConnection open = this.opener.succeed();

        assertThat(waiting).isCompletedWithValue(open);
        assertThat(this.connection.connection()).isCompletedWithValue(open);
    }

    @Test
    void closingDropsTheWaitingCommandsClosesTheOpenConnectionAndOneThatOpensLaterAndRefusesEverything() {
        this.connection.start();
        this.connection.submit((open) -> open.sent.add("waiting"));

        CompletableFuture<Void> closed = this.connection.close();
        FakeConnection late = this.opener.succeed();

        assertThat(closed).isCompleted();
        assertThat(this.dropped).hasValue(1);
        assertThat(late.closed).isTrue();
        assertThat(late.sent).isEmpty();
        assertThat(this.connection.submit((open) -> open.sent.add("refused"))).isFalse();
        assertThat(this.connection.connection()).isNull();
    }

    /** A connection that records what was sent on it. */
    static final class FakeConnection {

        final List<String> sent = new CopyOnWriteArrayList<>();

        volatile boolean open = true;

        volatile boolean closed;
    }

    /** Each attempt is a future the test completes. */
    static final class FakeOpener implements HistoryConnection.Opener<FakeConnection> {

        final List<CompletableFuture<FakeConnection>> attempts = new ArrayList<>();

        @Override
        public synchronized CompletionStage<FakeConnection> open() {
            CompletableFuture<FakeConnection> attempt = new CompletableFuture<>();
            this.attempts.add(attempt);
            return attempt;
        }

        @Override
        public boolean isOpen(FakeConnection connection) {
            return connection.open;
        }

        @Override
        public CompletionStage<Void> close(FakeConnection connection) {
            connection.open = false;
            connection.closed = true;
            return CompletableFuture.completedFuture(null);
        }

        FakeConnection succeed() {
            FakeConnection connection = new FakeConnection();
            last().complete(connection);
            return connection;
        }

        void fail() {
            last().completeExceptionally(new IllegalStateException("Connection refused"));
        }

        private synchronized CompletableFuture<FakeConnection> last() {
            CompletableFuture<FakeConnection> attempt = this.attempts.get(this.attempts.size() - 1);
            assertThat(attempt).isNotDone();
            return attempt;
        }
    }
}
