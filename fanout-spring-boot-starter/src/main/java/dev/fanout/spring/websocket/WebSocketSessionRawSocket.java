package dev.fanout.spring.websocket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;

import dev.fanout.CloseCodes;
import dev.fanout.RawSocket;
import dev.fanout.SpokeEventTarget;

/**
 * A {@link RawSocket} over a Spring {@link WebSocketSession} backed by a Jakarta WebSocket (JSR 356) session, as on
 * Tomcat: the adapter that lets the hub serve Spring WebSocket connections without ever blocking a publisher.
 *
 * <p><b>Sending.</b> {@link #send} appends the message to this connection's own lock-free queue and returns. One
 * thread at a time, the owner of the {@code sending} flag, drains the queue through the container's asynchronous send
 * ({@link RemoteEndpoint.Async}), one message in flight at a time, so messages leave in queue order and a publisher
 * only ever enqueues: a publisher that finds the socket idle wins the flag (a CAS) and hands the drain to the
 * supervisor's sender pool. The drain is a loop: before each send it marks the send in flight; a send the container
 * completes before {@code sendText} returns lets the loop carry on, and one completed later is carried on by the
 * completing thread (a three-state CAS decides which of the two continues, so exactly one does, without recursion).
 *
 * <p><b>Batching.</b> While a backlog exists (another message is queued behind the one being sent, and that one is
 * smaller than the container's output buffer) the drain switches the container's batching on
 * ({@link RemoteEndpoint#setBatchingAllowed}): each message is then copied into the session's output buffer and
 * completed at once, and the container writes the buffer whenever it fills, so a burst costs one system call per
 * buffer instead of one system call and one container task per message. A lone message is sent unbatched. When the
 * queue empties, the socket closes, or a ping is due, the batch is flushed ({@code setBatchingAllowed(false)}, which
 * blocks until the buffer is written) on the supervisor's elastic flush pool, so a spoke that stopped reading holds
 * only its own flush thread. Nothing else is written to the session while a batch is open: pings and the close frame
 * wait for the flush.
 *
 * <p><b>Buffered amount.</b> {@link #bufferedAmount()} is the UTF-8 size of the messages queued, the one in flight,
 * and those copied into the container's output buffer but not yet flushed. Of the last, at most one buffer's worth
 * (8 KiB by default) can still be unwritten when a send completes, since the container writes the buffer whenever it
 * fills; so that much stays counted until the flush completes, and anything beyond it is released as soon as it is
 * known written.
 *
 * <p><b>Stalls and drops.</b> {@link SessionSupervisor} looks at every socket periodically: a send, flush or ping
 * unfinished after {@link SocketSettings#sendStallTimeout()} makes the spoke a slow consumer, which is reported to
 * the {@link StallListener} and closed with 1013 even if nothing else is ever sent to it; a connection is pinged
 * every {@link SocketSettings#heartbeatInterval()} and closed with 1001 when neither a message nor a pong arrived for
 * {@link SocketSettings#heartbeatTimeout()}, which is how a peer that vanished without closing TCP is noticed.
 *
 * <p><b>Closing.</b> {@link #close} releases the queue and tells the listener at once (so the hub stops sending
 * here); the WebSocket close itself runs on the supervisor's I/O executor, and only by the owner of the
 * {@code sending} flag once no message is in flight and no batch is open. A close frame must not overtake a message
 * the container is still writing: Tomcat writes a long text message in 8 KiB fragments, and when a fragment completes
 * just as the close frame is written, Tomcat's own completion callback tries the next fragment on the closed session
 * and throws {@code IllegalStateException} on a container thread, outside any code of ours. So a close requested
 * while a send is in flight is performed by that send's completion, after the batch (if any) is flushed; only a send
 * or flush stalled past {@link SocketSettings#sendStallTimeout()} is not waited for (its slow consumer is evicted at
 * once). The container's own timeout for a blocking send (a flush or a ping) is twice the stall timeout, so that the
 * watchdog, not the container, ends a stalled flush, with 1013; the stalled flush itself holds its thread until that
 * timeout. Before the session is closed, the container's blocking-send timeout is cut to that of an abnormal close,
 * so the flush the container performs on close and the close frame each wait at most 100 ms for a stuck write; when
 * the socket's send buffer is full the container gives up on them, fails the stalled send and aborts the TCP
 * connection, so no thread hangs.
 *
 * <p><b>Thread safety.</b> Every method may be called from any thread. Listener calls are sequential: inbound
 * messages come one at a time from the container, and the close notification waits for (or is handed to) a message
 * delivery in progress, without ever blocking the thread that closes.
 */
public final class WebSocketSessionRawSocket implements RawSocket {

    /** Tomcat's session user property for blocking sends (flushes, pings, normal close frames), in milliseconds. */
    static final String BLOCKING_SEND_TIMEOUT_PROPERTY = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

    /** Tomcat's session user property for writing a non-1000 close frame, in milliseconds. */
    static final String ABNORMAL_CLOSE_SEND_TIMEOUT_PROPERTY =
            "org.apache.tomcat.websocket.ABNORMAL_SESSION_CLOSE_SEND_TIMEOUT";

    private static final Logger logger = LoggerFactory.getLogger(WebSocketSessionRawSocket.class);

    /**
     * The size of the container's per-session output buffer, which holds batched messages until it fills or is
     * flushed (Tomcat's {@code org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE}).
     */
    static final int CONTAINER_BUFFER_SIZE =
            Integer.getInteger("org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE", 8 * 1024);

    private static final long ABNORMAL_CLOSE_SEND_TIMEOUT_MILLIS = 100;

    private static final int NOT_SENDING = 0;

    private static final int SENDING = 1;

    private static final int COMPLETED = 2;

    private static final int RETURNED = 3;

    private static final byte[] PING_PAYLOAD = "fanout".getBytes(StandardCharsets.US_ASCII);

    private final WebSocketSession session;

    private final Session nativeSession;

    private final RemoteEndpoint.Async remote;

    private final SocketSettings settings;

    private final FrameSizer sizer;

    private final SocketThreads threads;

    private final StallListener stallListener;

    private final Queue<Outbound> queue = new ConcurrentLinkedQueue<>();

    private final AtomicLong buffered = new AtomicLong();

    /**
     * Owned by the one thread that may start a send, flush or ping, or close the session. Happens-before: the
     * owner's writes (the owner-only fields below) precede its {@code set(false)}, which precedes the next owner's
     * successful CAS; a hand-off of the drain to an executor is a happens-before edge of its own. Once the socket is
     * closed its owner keeps the flag for good, so no send starts after the close.
     */
    private final AtomicBoolean sending = new AtomicBoolean();

    /**
     * Where the send in flight is: {@code SENDING} while {@code sendText} runs, then {@code COMPLETED} if the
     * container completed it first (the sending thread carries on) or {@code RETURNED} if {@code sendText} returned
     * first (the completing thread carries on). Ownership passes with the CAS: the completing thread writes
     * {@link #sendResult} before its CAS, and the thread that carries on reads the owner-only fields after its own.
     */
    private final AtomicInteger step = new AtomicInteger(NOT_SENDING);

    /**
     * Set once, before anything else of the close. {@link #close} writes it and then tries to take {@link #sending};
     * an owner gives {@link #sending} up and then reads it: of the two, at least one sees the other's write, so the
     * session is closed either by {@link #close} (nothing in flight) or by the owner.
     */
    private final AtomicReference<@Nullable CloseStatus> closeStatus = new AtomicReference<>();

    /** Whether the WebSocket close was handed to the I/O executor; it is, at most once. */
    private final AtomicBoolean sessionClosing = new AtomicBoolean();

    private final AtomicBoolean closeDelivered = new AtomicBoolean();

    private final ReentrantLock delivery = new ReentrantLock();

    private final MessageAssembler assembler;

    private final jakarta.websocket.SendHandler onSent = this::sent;

    /** Owner-only: the UTF-8 size of the message in flight. */
    private long inFlightBytes;

    /** Owner-only: whether the container's batching is on. */
    private boolean batching;

    /**
     * Owner-only: bytes copied into the container's output buffer since the last flush and still counted in
     * {@link #buffered}, at most {@link #CONTAINER_BUFFER_SIZE}.
     */
    private long batched;

    /** Written by the completing thread before its CAS on {@link #step}, read by the thread that carries on. */
    private @Nullable SendResult sendResult;

    /**
     * {@link System#nanoTime()} when the current send, flush or ping started (or the flush was handed off);
     * {@code 0} when none is in flight.
     */
    private volatile long inFlightSince;

    private volatile boolean pingDue;

    private volatile long lastInbound;

    private volatile long lastPing;

    private volatile @Nullable Listener listener;

    private volatile @Nullable SpokeEventTarget spoke;

    /**
     * Adapts a session.
     *
     * @param session the session, whose native session must be a {@link Session jakarta.websocket.Session}
     * @param settings the limits and timers
     * @param sizer counts outbound bytes
     * @param threads the threads for closes, pings, first sends and flushes
     * @param stallListener told about a send stalled past the limit, before the socket is closed with 1013
     * @throws IllegalArgumentException if the session is not backed by a Jakarta WebSocket session
     */
    WebSocketSessionRawSocket(WebSocketSession session, SocketSettings settings, FrameSizer sizer,
            SocketThreads threads, StallListener stallListener) {
        this.session = session;
        this.nativeSession = jakartaSessionOf(session);
        this.remote = this.nativeSession.getAsyncRemote();
        this.settings = settings;
        this.sizer = sizer;
        this.threads = threads;
        this.stallListener = stallListener;
        this.nativeSession.getUserProperties().put(BLOCKING_SEND_TIMEOUT_PROPERTY,
                settings.sendStallTimeout().multipliedBy(2).toMillis());
        this.nativeSession.getUserProperties().put(ABNORMAL_CLOSE_SEND_TIMEOUT_PROPERTY,
                ABNORMAL_CLOSE_SEND_TIMEOUT_MILLIS);
        this.assembler = new MessageAssembler(settings.maxMessageSize());
        long now = System.nanoTime();
        this.lastInbound = now;
        this.lastPing = now;
    }

    private static Session jakartaSessionOf(WebSocketSession session) {
        if (session instanceof NativeWebSocketSession nativeSession) {
            Session jakartaSession = nativeSession.getNativeSession(Session.class);
            if (jakartaSession != null) {
                return jakartaSession;
            }
        }
        throw new IllegalArgumentException("fanout needs a Jakarta WebSocket (JSR 356) session, such as Tomcat's; got "
                + session.getClass().getName());
    }

    /**
     * The id of the WebSocket session.
     *
     * @return the session id
     */
    public String id() {
        return this.session.getId();
    }

    /**
     * The user authenticated at the handshake, if any.
     *
     * @return the principal, or {@code null}
     */
    public @Nullable Principal principal() {
        return this.session.getPrincipal();
    }

    /**
     * The address of the spoke.
     *
     * @return the remote address, or {@code null} if the container does not know it
     */
    public @Nullable InetSocketAddress remoteAddress() {
        return this.session.getRemoteAddress();
    }

    /**
     * How this socket closed, or is closing.
     *
     * @return the status, or {@code null} while the socket is open
     */
    public @Nullable CloseStatus closeStatus() {
        return this.closeStatus.get();
    }

    /**
     * The hub's spoke for this socket, once the hub took the connection over.
     *
     * @return the spoke, or {@code null} before that
     */
    public @Nullable SpokeEventTarget spoke() {
        return this.spoke;
    }

    void attach(SpokeEventTarget spoke) {
        this.spoke = spoke;
    }

    @Override
    public void send(String text) {
        Objects.requireNonNull(text, "text");
        if (this.closeStatus.get() != null) {
            throw new IllegalStateException(this + " is closed");
        }
        long size = this.sizer.utf8Length(text);
        this.buffered.addAndGet(size);
        this.queue.offer(new Outbound(text, size));
        if (this.sending.compareAndSet(false, true)) {
            try {
                this.threads.sender().execute(this::drain);
            }
            catch (RejectedExecutionException ex) {
                drain();
            }
        }
    }

    @Override
    public long bufferedAmount() {
        return Math.max(0, this.buffered.get());
    }

    @Override
    public void close(int code, String reason) {
        CloseStatus status = closeStatusOf(code, reason);
        if (!this.closeStatus.compareAndSet(null, status)) {
            return;
        }
        releaseQueue();
        deliverPendingClose();
        if (this.sending.compareAndSet(false, true)) {
            closeSessionOnIo();
        }
    }

    @Override
    public boolean isOpen() {
        return this.closeStatus.get() == null;
    }

    @Override
    public void setListener(@Nullable Listener listener) {
        this.listener = listener;
    }

    /**
     * A part of an inbound text message, from the container; parts of one session come one at a time.
     */
    void receiveText(String part, boolean last) {
        this.lastInbound = System.nanoTime();
        if (this.closeStatus.get() != null) {
            return;
        }
        try {
            String text = this.assembler.text(part, last);
            if (text != null) {
                deliver((listener) -> listener.onText(text));
            }
        }
        catch (MessageAssembler.MessageTooBigException ex) {
            tooBig(ex);
        }
    }

    /**
     * A part of an inbound binary message, from the container; parts of one session come one at a time.
     */
    void receiveBinary(ByteBuffer part, boolean last) {
        this.lastInbound = System.nanoTime();
        if (this.closeStatus.get() != null) {
            return;
        }
        try {
            byte[] data = this.assembler.binary(part, last);
            if (data != null) {
                deliver((listener) -> listener.onBinary(data));
            }
        }
        catch (MessageAssembler.MessageTooBigException ex) {
            tooBig(ex);
        }
    }

    private void tooBig(MessageAssembler.MessageTooBigException ex) {
        logger.debug("{}: {}; closing it with {}", this, ex.getMessage(), CloseCodes.MESSAGE_TOO_BIG);
        close(CloseCodes.MESSAGE_TOO_BIG, "message too big");
    }

    void receivePong() {
        this.lastInbound = System.nanoTime();
    }

    /**
     * The container closed the session: the peer closed it, the transport failed, or our own close completed.
     */
    void closedByContainer(CloseStatus status) {
        this.sessionClosing.set(true);
        this.closeStatus.compareAndSet(null, status);
        releaseQueue();
        deliverPendingClose();
    }

    /**
     * One look by the {@link SessionSupervisor}: evicts a stalled spoke, closes a silent one, and pings when due.
     *
     * @param now the current {@link System#nanoTime()}
     */
    void supervise(long now) {
        long since = this.inFlightSince;
        boolean stalled = since != 0 && now - since > this.settings.sendStallTimeout().toNanos();
        if (this.closeStatus.get() != null) {
            if (stalled) {
                closeSessionOnIo();
            }
            return;
        }
        if (stalled) {
            evictStalled(now - since);
        }
        else if (now - this.lastInbound > this.settings.heartbeatTimeout().toNanos()) {
            logger.info("{} sent nothing, not even a pong, for {}: closing it as dropped", this,
                    this.settings.heartbeatTimeout());
            close(CloseCodes.GOING_AWAY, "heartbeat timeout");
        }
        else if (now - this.lastPing >= this.settings.heartbeatInterval().toNanos()) {
            this.pingDue = true;
            if (this.sending.compareAndSet(false, true) && !runPing()) {
                drain();
            }
        }
    }

    private void evictStalled(long stalledNanos) {
        long amount = bufferedAmount();
        logger.info("A send to {} has not finished for {} ms ({} bytes buffered): closing it with {}", this,
                stalledNanos / 1_000_000, amount, CloseCodes.SLOW_CONSUMER);
        try {
            this.stallListener.onStall(this, amount);
        }
        catch (RuntimeException ex) {
            logger.warn("The stall listener of {} threw; closing it anyway", this, ex);
        }
        close(CloseCodes.SLOW_CONSUMER, "slow consumer");
        closeSessionOnIo();
    }

    /**
     * Sends queued messages until the queue is empty, the socket is closed, a ping is due, or a send completes later
     * (then its completion carries on). Called by the owner of {@link #sending} with nothing in flight.
     */
    private void drain() {
        while (true) {
            Outbound next = (this.closeStatus.get() == null && !this.pingDue) ? this.queue.poll() : null;
            if (next == null) {
                if (this.batching) {
                    flushLater();
                    return;
                }
                if (!settle()) {
                    return;
                }
            }
            else if (!sendNow(next)) {
                return;
            }
        }
    }

    /**
     * Starts one asynchronous send.
     *
     * @return {@code true} if this thread carries on (the send completed, or failed, before it returned), or
     *     {@code false} if the send's completion will
     */
    private boolean sendNow(Outbound next) {
        if (!this.batching && next.size() < CONTAINER_BUFFER_SIZE && !this.queue.isEmpty()) {
            startBatching();
        }
        this.inFlightBytes = next.size();
        this.inFlightSince = nonZeroNanoTime();
        this.step.set(SENDING);
        try {
            this.remote.sendText(next.text(), this.onSent);
        }
        catch (RuntimeException ex) {
            this.step.set(NOT_SENDING);
            this.inFlightSince = 0;
            this.buffered.addAndGet(-next.size());
            sendFailed(ex);
            return true;
        }
        if (this.step.compareAndSet(SENDING, RETURNED)) {
            return false;
        }
        this.step.set(NOT_SENDING);
        completed();
        return true;
    }

    private void sent(SendResult result) {
        this.inFlightSince = 0;
        this.sendResult = result;
        if (this.step.compareAndSet(SENDING, COMPLETED) || !this.step.compareAndSet(RETURNED, NOT_SENDING)) {
            return;
        }
        completed();
        drain();
    }

    private void completed() {
        SendResult result = this.sendResult;
        this.sendResult = null;
        if (result != null && !result.isOK()) {
            this.buffered.addAndGet(-this.inFlightBytes);
            sendFailed(result.getException());
        }
        else if (this.batching) {
            this.batched += this.inFlightBytes;
            if (this.batched > CONTAINER_BUFFER_SIZE) {
                this.buffered.addAndGet(CONTAINER_BUFFER_SIZE - this.batched);
                this.batched = CONTAINER_BUFFER_SIZE;
            }
        }
        else {
            this.buffered.addAndGet(-this.inFlightBytes);
        }
        this.inFlightBytes = 0;
    }

    private void startBatching() {
        try {
            this.remote.setBatchingAllowed(true);
            this.batching = true;
        }
        catch (IOException ex) {
            logger.debug("Could not switch batching on for {}; sending unbatched", this, ex);
        }
    }

    /**
     * Hands the flush of the open batch to the elastic flush pool, counting it as in flight from now on so that the
     * watchdog sees a flush that never starts or never ends.
     */
    private void flushLater() {
        this.inFlightSince = nonZeroNanoTime();
        try {
            this.threads.flusher().execute(this::flush);
        }
        catch (RejectedExecutionException ex) {
            flush();
        }
    }

    private void flush() {
        try {
            this.remote.setBatchingAllowed(false);
        }
        catch (IOException | RuntimeException ex) {
            sendFailed(ex);
        }
        this.batching = false;
        this.buffered.addAndGet(-this.batched);
        this.batched = 0;
        this.inFlightSince = 0;
        drain();
    }

    /**
     * Called by the owner of {@link #sending} with nothing in flight and no batch open: closes the session if the
     * socket is closed, or pings if a ping is due (both keep the flag), or else gives the flag up.
     *
     * @return whether this thread took the flag back because something was queued meanwhile
     */
    private boolean settle() {
        if (this.closeStatus.get() != null) {
            closeSessionOnIo();
            return false;
        }
        if (this.pingDue) {
            return !runPing();
        }
        this.sending.set(false);
        return (!this.queue.isEmpty() || this.closeStatus.get() != null) && this.sending.compareAndSet(false, true);
    }

    /**
     * Hands a ping to the I/O executor, which carries on draining afterwards.
     *
     * @return whether the ping task took the flag over; {@code false} if the executor is shut down
     */
    private boolean runPing() {
        try {
            this.threads.io().execute(this::ping);
            return true;
        }
        catch (RejectedExecutionException ex) {
            this.pingDue = false;
            return false;
        }
    }

    private void ping() {
        this.pingDue = false;
        this.lastPing = System.nanoTime();
        if (this.closeStatus.get() == null) {
            sendPing();
        }
        drain();
    }

    private void sendPing() {
        this.inFlightSince = nonZeroNanoTime();
        try {
            this.nativeSession.getBasicRemote().sendPing(ByteBuffer.wrap(PING_PAYLOAD));
        }
        catch (IOException | RuntimeException ex) {
            sendFailed(ex);
        }
        finally {
            this.inFlightSince = 0;
        }
    }

    private void sendFailed(@Nullable Throwable failure) {
        if (this.closeStatus.get() == null) {
            logger.warn("Sending to {} failed; closing it with {}", this, CloseCodes.INTERNAL_ERROR, failure);
        }
        close(CloseCodes.INTERNAL_ERROR, "send failed");
    }

    private void releaseQueue() {
        this.queue.clear();
        this.buffered.set(0);
    }

    private void closeSessionOnIo() {
        CloseStatus status = this.closeStatus.get();
        if (status != null && this.sessionClosing.compareAndSet(false, true)) {
            runOnIo(() -> closeSession(status));
        }
    }

    private void closeSession(CloseStatus status) {
        try {
            this.nativeSession.getUserProperties().put(BLOCKING_SEND_TIMEOUT_PROPERTY,
                    ABNORMAL_CLOSE_SEND_TIMEOUT_MILLIS);
            this.remote.setBatchingAllowed(false);
        }
        catch (IOException | RuntimeException ex) {
            logger.debug("Flushing the batch of {} before closing it failed (the container may have closed it)", this, ex);
        }
        try {
            this.session.close(status);
        }
        catch (IOException | RuntimeException ex) {
            logger.debug("Closing {} with {} failed", this, status, ex);
        }
    }

    private void deliver(Consumer<Listener> call) {
        this.delivery.lock();
        try {
            Listener current = this.listener;
            if (current != null && !this.closeDelivered.get()) {
                call.accept(current);
            }
        }
        catch (RuntimeException ex) {
            logger.warn("The listener of {} threw on an inbound message; the connection stays", this, ex);
        }
        finally {
            this.delivery.unlock();
        }
        deliverPendingClose();
    }

    /**
     * Delivers the close to the listener unless another thread is delivering a message right now, in which case that
     * thread delivers it when it finishes. Never blocks.
     */
    private void deliverPendingClose() {
        while (this.closeStatus.get() != null && !this.closeDelivered.get() && this.delivery.tryLock()) {
            try {
                CloseStatus status = this.closeStatus.get();
                if (status != null && this.closeDelivered.compareAndSet(false, true)) {
                    Listener current = this.listener;
                    if (current != null) {
                        current.onClose(status.getCode(), Objects.requireNonNullElse(status.getReason(), ""));
                    }
                }
            }
            catch (RuntimeException ex) {
                logger.warn("The listener of {} threw on close", this, ex);
            }
            finally {
                this.delivery.unlock();
            }
        }
    }

    private void runOnIo(Runnable task) {
        try {
            this.threads.io().execute(task);
        }
        catch (RejectedExecutionException ex) {
            task.run();
        }
    }

    private static CloseStatus closeStatusOf(int code, String reason) {
        try {
            return new CloseStatus(code, reason);
        }
        catch (IllegalArgumentException ex) {
            return new CloseStatus(CloseCodes.INTERNAL_ERROR, reason);
        }
    }

    private static long nonZeroNanoTime() {
        long now = System.nanoTime();
        return (now != 0) ? now : 1;
    }

    @Override
    public String toString() {
        return "WebSocket session " + this.session.getId();
    }

    /**
     * Told when a send to a socket stalled past {@link SocketSettings#sendStallTimeout()}, just before the socket is
     * closed with 1013.
     */
    @FunctionalInterface
    interface StallListener {

        void onStall(WebSocketSessionRawSocket socket, long bufferedAmount);
    }

    private record Outbound(String text, long size) {
    }
}
