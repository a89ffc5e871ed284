package dev.fanout.internal;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.fanout.WebSocketServerEventTarget;
import dev.fanout.testing.InMemoryRawSocket;
import dev.fanout.testing.ManualTimeSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reply queue of one connection, on its own: order, pacing of a recovery's steps behind a backed-up socket, and
 * what a discarded recovery leaves out. The pacing's clock is moved by hand.
 */
class ReplyQueueTests {

    private static final Duration RETRY = Duration.ofMillis(5);

    private final InMemoryRawSocket socket = new InMemoryRawSocket("spoke");

    private final Connection connection = (Connection) WebSocketServerEventTarget.create().addConnection(this.socket);

    private final ManualTimeSource time = new ManualTimeSource();

    private final Object lock = new Object();

    private final ReplyQueue queue = new ReplyQueue(this.lock, this.connection, new ReplayPacing(this.time, 100, RETRY));

    @Test
    void repliesGoOutInTheOrderTheyWereQueued() {
        synchronized (this.lock) {
            this.queue.addReply("a");
            this.queue.addReply("b");
        }
        this.queue.drain();
        synchronized (this.lock) {
            this.queue.addReply("c");
        }
        this.queue.drain();
        assertThat(this.socket.sentMessages()).containsExactly("a", "b", "c");
    }

    @Test
    void recoveredEventWaitsWhileTheSocketIsBackedUpAndTheRepliesBehindItWaitWithIt() {
        RecoveryBuffers.Buffer recovery = this.connection.recoveries().start("news");
        this.socket.setBufferedAmount(101);
        synchronized (this.lock) {
            this.queue.addReply("ack");
            this.queue.addRecovered(recovery, "kept-1");
            this.queue.addReply("later reply");
        }
        this.queue.drain();
        assertThat(this.socket.sentMessages()).containsExactly("ack");
        assertThat(this.time.pendingTasks()).isEqualTo(1);

        this.time.advance(RETRY);
        assertThat(this.socket.sentMessages()).containsExactly("ack");

        this.socket.setBufferedAmount(100);
        this.time.advance(RETRY);
        assertThat(this.socket.sentMessages()).containsExactly("ack", "kept-1", "later reply");
        assertThat(this.time.pendingTasks()).isZero();
    }

    @Test
    void recoveredEventOfADiscardedRecoveryIsLeftOutAndTheQueueGoesOn() {
        RecoveryBuffers.Buffer recovery = this.connection.recoveries().start("news");
        this.connection.recoveries().discard("news");
        synchronized (this.lock) {
            this.queue.addRecovered(recovery, "kept-1");
            this.queue.addReply("unsubscribed");
        }
        this.queue.drain();
        assertThat(this.socket.sentMessages()).containsExactly("unsubscribed");
    }

    @Test
    void aDrainCalledWhileAnotherThreadOwnsTheQueueLeavesTheStepsToIt() {
        this.socket.setBufferedAmount(101);
        RecoveryBuffers.Buffer recovery = this.connection.recoveries().start("news");
        synchronized (this.lock) {
            this.queue.addRecovered(recovery, "kept-1");
        }
        this.queue.drain();
        synchronized (this.lock) {
            this.queue.addReply("reply");
        }
        this.queue.drain();
        assertThat(this.socket.sentMessages()).isEmpty();

        this.socket.setBufferedAmount(0);
        this.time.advance(RETRY);
        assertThat(this.socket.sentMessages()).containsExactly("kept-1", "reply");
    }
}
