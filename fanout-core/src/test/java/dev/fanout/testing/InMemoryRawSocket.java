package dev.fanout.testing;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

import dev.fanout.RawSocket;

/**
 * A {@link RawSocket} held in memory, for tests of the hub and of anything built on it: it records what the hub sends
 * and how it closes the socket, and lets a test play the spoke ({@link #receiveText}, {@link #closeFromPeer}) and the
 * network ({@link #setBufferedAmount}, {@link #failSendsWith}).
 *
 * <p>A socket made with {@link #pausable} can pause its reading ({@link #pauseReading()}): messages the spoke sends
 * meanwhile wait, in order, and are delivered by {@link #resumeReading()} on the resuming thread, as a transport that
 * stopped reading would deliver them once it reads again. One made with the constructor cannot pause, as a socket
 * written for protocol 1.
 *
 * <p>Like a real WebSocket, it cannot send text that has no UTF-8 form (one with an unpaired UTF-16 surrogate): such
 * a {@link #send} throws {@link IllegalStateException}.
 *
 * <p>Thread-safe, and it keeps the {@link RawSocket} promise that listener calls are sequential. {@link #close} acts
 * like a peer that answers the close frame at once: it calls {@link Listener#onClose} before returning.
 */
public final class InMemoryRawSocket implements RawSocket {

    private final String name;

    private final List<String> sent = new CopyOnWriteArrayList<>();

    private final AtomicLong bufferedAmount = new AtomicLong();

    private final AtomicBoolean open = new AtomicBoolean(true);

    /** Held while the listener is called, so that its calls are sequential. */
    private final ReentrantLock listenerCalls = new ReentrantLock();

    private volatile @Nullable Listener listener;

    private volatile @Nullable RuntimeException sendFailure;

    private volatile int closeCode;

    private volatile @Nullable Principal principal;

    private volatile Map<String, Object> attributes = Map.of();

    private volatile @Nullable String closeReason;

    private final boolean canPause;

    private final AtomicBoolean readingPaused = new AtomicBoolean();

    private final Queue<Runnable> waitingMessages = new ConcurrentLinkedQueue<>();

    private final AtomicInteger pauses = new AtomicInteger();

    private final AtomicInteger resumes = new AtomicInteger();

    /**
     * Creates an open socket that cannot pause its reading.
     *
     * @param name the name {@link #toString()} shows
     */
    public InMemoryRawSocket(String name) {
        this(name, false);
    }

    private InMemoryRawSocket(String name, boolean canPause) {
        this.name = name;
        this.canPause = canPause;
    }

    /**
     * Creates an open socket that can pause its reading.
     *
     * @param name the name {@link #toString()} shows
     * @return the socket
     */
    public static InMemoryRawSocket pausable(String name) {
        return new InMemoryRawSocket(name, true);
    }

    /**
     * Pauses reading, if this socket was made {@link #pausable}.
     *
     * @return whether it is paused now
     */
    @Override
    public boolean pauseReading() {
        if (!this.canPause) {
            return false;
        }
        this.pauses.incrementAndGet();
        this.readingPaused.set(true);
        return true;
    }

    /**
     * Reads again: delivers the messages that waited, in order, on the calling thread, until they are all delivered
     * or a listener call paused reading again; never blocks: if another thread is calling the listener, that thread
     * delivers them.
     */
    @Override
    public void resumeReading() {
        this.resumes.incrementAndGet();
        this.readingPaused.set(false);
        deliverWaitingUnlessDelivering();
    }

    /**
     * Whether reading is paused now.
     *
     * @return whether {@link #pauseReading()} was the last of the two to be called
     */
    public boolean isReadingPaused() {
        return this.readingPaused.get();
    }

    /**
     * How many times {@link #pauseReading()} paused this socket.
     *
     * @return the count
     */
    public int pauseCount() {
        return this.pauses.get();
    }

    /**
     * How many times {@link #resumeReading()} was called.
     *
     * @return the count
     */
    public int resumeCount() {
        return this.resumes.get();
    }

    /**
     * The messages the spoke sent while reading was paused, not yet delivered.
     *
     * @return the count
     */
    public int waitingMessageCount() {
        return this.waitingMessages.size();
    }

    @Override
    public void send(String text) {
        if (!this.open.get()) {
            throw new IllegalStateException(this + " is closed");
        }
        RuntimeException failure = this.sendFailure;
        if (failure != null) {
            throw failure;
        }
        if (!StandardCharsets.UTF_8.newEncoder().canEncode(text)) {
            throw new IllegalStateException(this + " cannot encode the text as UTF-8");
        }
        this.sent.add(text);
    }

    @Override
    public long bufferedAmount() {
        return this.bufferedAmount.get();
    }

    @Override
    public void close(int code, String reason) {
        if (this.open.compareAndSet(true, false)) {
            this.closeCode = code;
            this.closeReason = reason;
            notifyClose(code, reason);
        }
    }

    @Override
    public boolean isOpen() {
        return this.open.get();
    }

    @Override
    public void setListener(@Nullable Listener listener) {
        this.listener = listener;
    }

    @Override
    public @Nullable Principal principal() {
        return this.principal;
    }

    @Override
    public Map<String, Object> attributes() {
        return this.attributes;
    }

    /**
     * Plays the handshake's authentication: {@link #principal()} returns this principal from now on.
     *
     * @param principal the principal, or {@code null} for an anonymous spoke
     */
    public void setPrincipal(@Nullable Principal principal) {
        this.principal = principal;
    }

    /**
     * Plays the handshake's attributes: {@link #attributes()} returns a copy of these from now on.
     *
     * @param attributes the attributes
     */
    public void setAttributes(Map<String, Object> attributes) {
        this.attributes = Map.copyOf(attributes);
    }

    /**
     * Plays the spoke sending a text message: the current listener receives it before this returns (on the calling
     * thread, or on one calling the listener already), unless reading is paused: then it waits for the resume.
     *
     * @param text the message
     */
    public void receiveText(String text) {
        receive(() -> {
            Listener current = this.listener;
            if (current != null && this.open.get()) {
                current.onText(text);
            }
        });
    }

    /**
     * Plays the spoke sending a binary message: the current listener receives it before this returns (on the calling
     * thread, or on one calling the listener already), unless reading is paused: then it waits for the resume.
     *
     * @param data the message
     */
    public void receiveBinary(byte[] data) {
        receive(() -> {
            Listener current = this.listener;
            if (current != null && this.open.get()) {
                current.onBinary(data);
            }
        });
    }

    private void receive(Runnable delivery) {
        this.waitingMessages.add(delivery);
        this.listenerCalls.lock();
        try {
            deliverWaiting();
        }
        finally {
            this.listenerCalls.unlock();
        }
        deliverWaitingUnlessDelivering();
    }

    /**
     * Delivers what waits unless another thread is delivering; re-checks after unlocking, so that a resume that found
     * the lock taken while its holder was giving up never leaves messages behind.
     */
    private void deliverWaitingUnlessDelivering() {
        while (!this.readingPaused.get() && !this.waitingMessages.isEmpty() && this.listenerCalls.tryLock()) {
            try {
                deliverWaiting();
            }
            finally {
                this.listenerCalls.unlock();
            }
        }
    }

    private void deliverWaiting() {
        while (!this.readingPaused.get()) {
            Runnable next = this.waitingMessages.poll();
            if (next == null) {
                return;
            }
            next.run();
        }
    }

    /**
     * Plays the spoke (or the network) closing the connection.
     *
     * @param code the close code the listener receives
     * @param reason the reason the listener receives
     */
    public void closeFromPeer(int code, String reason) {
        if (this.open.compareAndSet(true, false)) {
            notifyClose(code, reason);
        }
    }

    /**
     * Sets what {@link #bufferedAmount()} reports, as if the network had not yet taken that many bytes.
     *
     * @param bytes the buffered byte count
     */
    public void setBufferedAmount(long bytes) {
        this.bufferedAmount.set(bytes);
    }

    /**
     * Makes every following {@link #send} throw, or stops that with {@code null}.
     *
     * @param failure what {@link #send} throws, or {@code null}
     */
    public void failSendsWith(@Nullable RuntimeException failure) {
        this.sendFailure = failure;
    }

    /**
     * The messages sent so far, in order.
     *
     * @return an immutable snapshot
     */
    public List<String> sentMessages() {
        return List.copyOf(this.sent);
    }

    /**
     * The listener set now.
     *
     * @return the listener, or {@code null} if none is set
     */
    public @Nullable Listener listener() {
        return this.listener;
    }

    /**
     * The code this socket was closed with by {@link #close}.
     *
     * @return the code, or {@code 0} if {@link #close} was not called
     */
    public int closeCode() {
        return this.closeCode;
    }

    /**
     * The reason this socket was closed with by {@link #close}.
     *
     * @return the reason, or {@code null} if {@link #close} was not called
     */
    public @Nullable String closeReason() {
        return this.closeReason;
    }

    private void notifyClose(int code, String reason) {
        this.listenerCalls.lock();
        try {
            Listener current = this.listener;
            if (current != null) {
                current.onClose(code, reason);
            }
        }
        finally {
            this.listenerCalls.unlock();
        }
    }

    @Override
    public String toString() {
        return "InMemoryRawSocket[" + this.name + "]";
    }
}
