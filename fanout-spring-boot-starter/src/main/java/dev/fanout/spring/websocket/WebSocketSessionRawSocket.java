package dev.fanout.spring.websocket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * asynchronous send ({@link RemoteEndpoint.Async}) is in flight at a time: a publisher that finds the socket idle
 * wins the {@code sending} flag (a CAS) and hands the first send to the supervisor's sender pool, and the
 * container's completion callback starts each following one, so messages leave in queue order, a publisher only
 * ever enqueues, and no thread waits for the network. {@link #bufferedAmount()} is the UTF-8 size of the messages
 * queued plus the one in flight.
 *
 * <p><b>Stalls and drops.</b> {@link SessionSupervisor} looks at every socket periodically: a send (or ping)
 * unfinished after {@link SocketSettings#sendStallTimeout()} makes the spoke a slow consumer, which is reported to
 * the {@link StallListener} and closed with 1013 even if nothing else is ever sent to it; a connection is pinged
 * every {@link SocketSettings#heartbeatInterval()} and closed with 1001 when neither a message nor a pong arrived for
 * {@link SocketSettings#heartbeatTimeout()}, which is how a peer that vanished without closing TCP is noticed.
 *
 * <p><b>Closing.</b> {@link #close} releases the queue, tells the listener at once (so the hub stops sending here)
 * and performs the WebSocket close on the supervisor's I/O executor. The close frame is written with a short
 * send timeout (Tomcat's {@code ABNORMAL_SESSION_CLOSE_SEND_TIMEOUT}, and {@code BLOCKING_SEND_TIMEOUT} for pings and
 * normal closes); when the socket's send buffer is full the container gives up on the frame and aborts the TCP
 * connection, so no thread hangs.
 *
 * <p><b>Thread safety.</b> Every method may be called from any thread. Listener calls are sequential: inbound
 * messages come one at a time from the container, and the close notification waits for (or is handed to) a message
 * delivery in progress, without ever blocking the thread that closes.
 */
public final class WebSocketSessionRawSocket implements RawSocket {

    /** Tomcat's session user property for blocking sends (pings, normal close frames), in milliseconds. */
    static final String BLOCKING_SEND_TIMEOUT_PROPERTY = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

    /** Tomcat's session user property for writing a non-1000 close frame, in milliseconds. */
    static final String ABNORMAL_CLOSE_SEND_TIMEOUT_PROPERTY =
            "org.apache.tomcat.websocket.ABNORMAL_SESSION_CLOSE_SEND_TIMEOUT";

    private static final Logger logger = LoggerFactory.getLogger(WebSocketSessionRawSocket.class);

    private static final long ABNORMAL_CLOSE_SEND_TIMEOUT_MILLIS = 100;

    private static final byte[] PING_PAYLOAD = "fanout".getBytes(StandardCharsets.US_ASCII);

    private final WebSocketSession session;

    private final Session nativeSession;

    private final RemoteEndpoint.Async remote;

    private final SocketSettings settings;

    private final FrameSizer sizer;

    private final Executor io;

    private final Executor sender;

    private final StallListener stallListener;

    private final Queue<Outbound> queue = new ConcurrentLinkedQueue<>();

    private final AtomicLong buffered = new AtomicLong();

    /**
     * Owned by the one thread that may start a send or ping. Happens-before: the owner's writes (in-flight fields)
     * precede its {@code set(false)}, which precedes the next owner's successful CAS.
     */
    private final AtomicBoolean sending = new AtomicBoolean();

    private final AtomicReference<@Nullable CloseStatus> closeStatus = new AtomicReference<>();

    private final AtomicBoolean closeDelivered = new AtomicBoolean();

    private final ReentrantLock delivery = new ReentrantLock();

    private final jakarta.websocket.SendHandler onSent = this::sent;

    /** {@link System#nanoTime()} when the current send or ping started; {@code 0} when none is in flight. */
    private volatile long inFlightSince;

    private volatile long inFlightBytes;

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
     * @param io runs closes and pings, which may block for a bounded time
     * @param sender starts the first send after the socket was idle, so that a publisher only ever enqueues
     * @param stallListener told about a send stalled past the limit, before the socket is closed with 1013
     * @throws IllegalArgumentException if the session is not backed by a Jakarta WebSocket session
     */
    WebSocketSessionRawSocket(WebSocketSession session, SocketSettings settings, FrameSizer sizer, Executor io,
            Executor sender, StallListener stallListener) {
        this.session = session;
        this.nativeSession = jakartaSessionOf(session);
        this.remote = this.nativeSession.getAsyncRemote();
        this.settings = settings;
        this.sizer = sizer;
        this.io = io;
        this.sender = sender;
        this.stallListener = stallListener;
        this.nativeSession.getUserProperties().put(BLOCKING_SEND_TIMEOUT_PROPERTY,
                settings.sendStallTimeout().toMillis());
        this.nativeSession.getUserProperties().put(ABNORMAL_CLOSE_SEND_TIMEOUT_PROPERTY,
                ABNORMAL_CLOSE_SEND_TIMEOUT_MILLIS);
        session.setTextMessageSizeLimit(settings.maxMessageSize());
        session.setBinaryMessageSizeLimit(settings.maxMessageSize());
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
                this.sender.execute(this::startQueued);
            }
            catch (RejectedExecutionException ex) {
                startQueued();
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
        runOnIo(() -> closeSession(status));
    }

    @Override
    public boolean isOpen() {
        return this.closeStatus.get() == null;
    }

    @Override
    public void setListener(@Nullable Listener listener) {
        this.listener = listener;
    }

    void receiveText(String text) {
        this.lastInbound = System.nanoTime();
        deliver((listener) -> listener.onText(text));
    }

    void receiveBinary(byte[] data) {
        this.lastInbound = System.nanoTime();
        deliver((listener) -> listener.onBinary(data));
    }

    void receivePong() {
        this.lastInbound = System.nanoTime();
    }

    /**
     * The container closed the session: the peer closed it, the transport failed, or our own close completed.
     */
    void closedByContainer(CloseStatus status) {
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
        if (this.closeStatus.get() != null) {
            return;
        }
        long since = this.inFlightSince;
        if (since != 0 && now - since > this.settings.sendStallTimeout().toNanos()) {
            evictStalled(now - since);
        }
        else if (now - this.lastInbound > this.settings.heartbeatTimeout().toNanos()) {
            logger.info("{} sent nothing, not even a pong, for {}: closing it as dropped", this,
                    this.settings.heartbeatTimeout());
            close(CloseCodes.GOING_AWAY, "heartbeat timeout");
        }
        else if (now - this.lastPing >= this.settings.heartbeatInterval().toNanos()) {
            this.pingDue = true;
            if (this.sending.compareAndSet(false, true)) {
                runPing();
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
    }

    private void startQueued() {
        Outbound next = this.queue.poll();
        if (next != null) {
            start(next);
            return;
        }
        this.sending.set(false);
        drain();
    }

    private void drain() {
        while (!this.queue.isEmpty() && this.sending.compareAndSet(false, true)) {
            Outbound next = this.queue.poll();
            if (next != null) {
                start(next);
                return;
            }
            this.sending.set(false);
        }
    }

    private void start(Outbound next) {
        if (this.closeStatus.get() != null) {
            return;
        }
        this.inFlightBytes = next.size();
        this.inFlightSince = nonZeroNanoTime();
        try {
            this.remote.sendText(next.text(), this.onSent);
        }
        catch (RuntimeException ex) {
            this.inFlightSince = 0;
            this.buffered.addAndGet(-next.size());
            sendFailed(ex);
        }
    }

    private void sent(SendResult result) {
        this.inFlightSince = 0;
        this.buffered.addAndGet(-this.inFlightBytes);
        if (!result.isOK()) {
            sendFailed(result.getException());
            return;
        }
        if (this.pingDue && this.closeStatus.get() == null) {
            runPing();
            return;
        }
        this.sending.set(false);
        drain();
    }

    private void runPing() {
        try {
            this.io.execute(this::ping);
        }
        catch (RejectedExecutionException ex) {
            this.sending.set(false);
            drain();
        }
    }

    private void ping() {
        this.pingDue = false;
        this.lastPing = System.nanoTime();
        if (this.closeStatus.get() != null) {
            return;
        }
        this.inFlightBytes = 0;
        this.inFlightSince = nonZeroNanoTime();
        try {
            this.nativeSession.getBasicRemote().sendPing(ByteBuffer.wrap(PING_PAYLOAD));
        }
        catch (IOException | RuntimeException ex) {
            this.inFlightSince = 0;
            sendFailed(ex);
            return;
        }
        this.inFlightSince = 0;
        this.sending.set(false);
        drain();
    }

    private void sendFailed(@Nullable Throwable failure) {
        if (this.closeStatus.get() == null) {
            logger.debug("Sending to {} failed; closing it", this, failure);
        }
        close(CloseCodes.INTERNAL_ERROR, "send failed");
    }

    private void releaseQueue() {
        this.queue.clear();
        this.buffered.set(0);
    }

    private void closeSession(CloseStatus status) {
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
            this.io.execute(task);
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
