package dev.fanout.client.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link Transport} driven by the test: every {@link #open} is an attempt the test accepts or refuses, and every
 * accepted one is a {@link FakeChannel} that records what the client wrote and how many messages it requested.
 */
final class FakeTransport implements Transport {

    private final List<Attempt> attempts = new CopyOnWriteArrayList<>();

    private final boolean acceptAtOnce;

    FakeTransport() {
        this(false);
    }

    /**
     * @param acceptAtOnce whether every attempt succeeds at once, for tests that run real threads
     */
    FakeTransport(boolean acceptAtOnce) {
        this.acceptAtOnce = acceptAtOnce;
    }

    @Override
    public CompletableFuture<Channel> open(ChannelListener listener) {
        Attempt attempt = new Attempt(listener);
        this.attempts.add(attempt);
        if (this.acceptAtOnce) {
            attempt.accept();
        }
        return attempt.opening;
    }

    /** Every channel accepted so far, in order. */
    List<FakeChannel> channels() {
        return this.attempts.stream().filter((attempt) -> attempt.channel != null).map((attempt) -> attempt.channel).toList();
    }

    int attemptCount() {
        return this.attempts.size();
    }

    Attempt lastAttempt() {
        return this.attempts.get(this.attempts.size() - 1);
    }

    /** Accepts the last attempt. */
    FakeChannel accept() {
        return lastAttempt().accept();
    }

    /** One connection attempt. */
    static final class Attempt {

        final ChannelListener listener;

        final CompletableFuture<Channel> opening = new CompletableFuture<>();

        volatile FakeChannel channel;

        Attempt(ChannelListener listener) {
            this.listener = listener;
        }

        FakeChannel accept() {
            FakeChannel accepted = new FakeChannel(this.listener);
            this.channel = accepted;
            this.opening.complete(accepted);
            return accepted;
        }

        void refuse(String why) {
            this.opening.completeExceptionally(new IllegalStateException(why));
        }
    }

    /** One accepted connection. Writes complete at once unless {@link #holdWrites()} was called. */
    static final class FakeChannel implements Channel {

        final ChannelListener listener;

        final List<String> written = new CopyOnWriteArrayList<>();

        final List<String> closes = new CopyOnWriteArrayList<>();

        private final List<CompletableFuture<Void>> heldWrites = new ArrayList<>();

        private boolean holding;

        private int requested;

        private int inFlight;

        private int maxInFlight;

        FakeChannel(ChannelListener listener) {
            this.listener = listener;
        }

        @Override
        public synchronized CompletableFuture<?> send(String text) {
            this.written.add(text);
            this.inFlight++;
            this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
            if (!this.holding) {
                this.inFlight--;
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> write = new CompletableFuture<>();
            this.heldWrites.add(write);
            return write;
        }

        @Override
        public synchronized void requestNext() {
            this.requested++;
        }

        @Override
        public void close(int code, String reason) {
            this.closes.add(code + " " + reason);
        }

        @Override
        public void abort() {
            this.listener.onClose(1006, "aborted");
        }

        synchronized void holdWrites() {
            this.holding = true;
        }

        /** Completes the oldest held write. */
        void completeWrite() {
            CompletableFuture<Void> write;
            synchronized (this) {
                write = this.heldWrites.remove(0);
                this.inFlight--;
            }
            write.complete(null);
        }

        /** Fails the oldest held write. */
        void failWrite() {
            CompletableFuture<Void> write;
            synchronized (this) {
                write = this.heldWrites.remove(0);
                this.inFlight--;
            }
            write.completeExceptionally(new java.io.IOException("broken pipe"));
        }

        synchronized int requested() {
            return this.requested;
        }

        synchronized int maxInFlight() {
            return this.maxInFlight;
        }

        /** The hub sends a message; the transport hands it over only if the client requested one. */
        void receive(String text) {
            synchronized (this) {
                if (this.requested == 0) {
                    throw new AssertionError("the client did not request a message: " + text);
                }
                this.requested--;
            }
            this.listener.onMessage(text);
        }

        void closeByHub(int code, String reason) {
            this.listener.onClose(code, reason);
        }
    }
}
