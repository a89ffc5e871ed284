package dev.fanout.spring.websocket;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.springframework.web.socket.CloseStatus;

/**
 * An {@link AsyncEndpoint} for tests: records every call (as text such as {@code "send a"}, {@code "write a"},
 * {@code "endBatch"}) and the threads that made them; its asynchronous sends complete at once, later (when the test
 * calls {@link #completeNext}) or never, as the test chooses, and its blocking writes may fail. A hook may run
 * inside any call, to interleave another thread's action exactly there.
 */
final class FakeEndpoint implements AsyncEndpoint {

    /** How sends complete. */
    enum Completes {
        AT_ONCE, LATER
    }

    final List<String> calls = new CopyOnWriteArrayList<>();

    final List<String> texts = new CopyOnWriteArrayList<>();

    final Set<Thread> threads = ConcurrentHashMap.newKeySet();

    private final List<Completion> pending = new ArrayList<>();

    private final int outputBufferSize;

    volatile Completes completes = Completes.AT_ONCE;

    volatile @Nullable Consumer<String> hook;

    volatile @Nullable IOException endBatchFailure;

    volatile @Nullable IOException writeFailure;

    /** What {@link #suspendReading()} answers. */
    volatile boolean canSuspend = true;

    FakeEndpoint() {
        this(8 * 1024);
    }

    FakeEndpoint(int outputBufferSize) {
        this.outputBufferSize = outputBufferSize;
    }

    @Override
    public void sendText(String text, Completion completion) {
        record("send " + text);
        this.texts.add(text);
        if (this.completes == Completes.AT_ONCE) {
            completion.completed(null);
        }
        else {
            synchronized (this.pending) {
                this.pending.add(completion);
            }
        }
    }

    /**
     * Completes the oldest pending send, on the calling thread (a container thread, as far as the loop knows).
     *
     * @param failure the failure, or {@code null} for success
     */
    void completeNext(@Nullable Throwable failure) {
        Completion completion;
        synchronized (this.pending) {
            completion = this.pending.remove(0);
        }
        completion.completed(failure);
    }

    int pendingSends() {
        synchronized (this.pending) {
            return this.pending.size();
        }
    }

    @Override
    public void writeText(String text) throws IOException {
        record("write " + text);
        this.texts.add(text);
        IOException failure = this.writeFailure;
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void beginBatch() {
        record("beginBatch");
    }

    @Override
    public void endBatch() throws IOException {
        record("endBatch");
        IOException failure = this.endBatchFailure;
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public int outputBufferSize() {
        return this.outputBufferSize;
    }

    @Override
    public void ping() {
        record("ping");
    }

    @Override
    public void close(CloseStatus status) {
        record("close " + status.getCode());
    }

    @Override
    public boolean suspendReading() {
        record("suspendReading");
        return this.canSuspend;
    }

    @Override
    public void resumeReading() {
        record("resumeReading");
    }

    private void record(String call) {
        this.threads.add(Thread.currentThread());
        this.calls.add(call);
        Consumer<String> current = this.hook;
        if (current != null) {
            current.accept(call);
        }
    }

    @Override
    public String toString() {
        return "fake endpoint";
    }
}
