package dev.fanout.client.internal;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.random.RandomGenerator;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.fanout.CloseCodes;
import dev.fanout.Event;
import dev.fanout.EventListener;
import dev.fanout.ListenerRegistration;
import dev.fanout.client.ClientClosedException;
import dev.fanout.client.ConnectionState;
import dev.fanout.client.ConnectionStateChange;
import dev.fanout.client.ConnectionStateListener;
import dev.fanout.client.StreamPosition;
import dev.fanout.client.SubscribeOptions;
import dev.fanout.client.SubscriptionAck;
import dev.fanout.client.SubscriptionListener;
import dev.fanout.client.WebSocketClientEventTarget;
import dev.fanout.client.WebSocketClientOptions;

/**
 * The {@link WebSocketClientEventTarget}: a connection state machine over a {@link Transport}.
 *
 * <p>One guard ({@code lock}) protects every piece of mutable state (the state, the current {@link Link}, the
 * attempt counter, the {@link SubscriptionRegistry}, the {@link AckTracker} of the replies awaited and the
 * {@link OutboundWriter}'s queue); it is never held across I/O. Every state change goes through {@link #transition}.
 * Callbacks are queued on {@link SerialDelivery} while the guard is held, so they run in the order of the changes that
 * caused them. Each connection attempt is a {@link Link}; callbacks of a link that is no longer {@code this.link} are
 * stale and change nothing.
 */
public final class ReconnectingClient implements WebSocketClientEventTarget {

    private static final Logger logger = LoggerFactory.getLogger(ReconnectingClient.class);

    private static final int ABNORMAL_CLOSURE = 1006;

    private static final int NORMAL_CLOSURE = 1000;

    private static final Duration LOG_INTERVAL = Duration.ofSeconds(10);

    private final WebSocketClientOptions options;

    private final Transport transport;

    private final Scheduler scheduler;

    private final RandomGenerator random;

    private final Backoff backoff;

    private final FrameCodec codec;

    private final ClientListeners listeners;

    private final SerialDelivery delivery;

    private final RateLimitedLog hubLog;

    private final Runnable releaseResources;

    private final Object lock = new Object();

    private ConnectionState state = ConnectionState.NEW;

    private int attempt;

    private @Nullable Link link;

    private long openedAtNanos;

    private Scheduler.Cancellable reconnectTimer = Scheduler.Cancellable.NONE;

    private final OutboundWriter outbound;

    private final SubscriptionRegistry subscriptions = new SubscriptionRegistry();

    private final AckTracker acks;

    ReconnectingClient(WebSocketClientOptions options, Transport transport, Scheduler scheduler,
            Executor deliveryExecutor, RandomGenerator random, Runnable releaseResources) {
        this.options = options;
        this.transport = transport;
        this.scheduler = scheduler;
        this.random = random;
        this.backoff = new Backoff(options.reconnectBaseDelay(), options.reconnectMaxDelay());
        this.codec = new FrameCodec(options.jsonMapper());
        this.hubLog = new RateLimitedLog(logger, LOG_INTERVAL, scheduler::nanoTime);
        this.listeners = new ClientListeners(this.hubLog);
        this.delivery = new SerialDelivery(deliveryExecutor, this.hubLog);
        this.outbound = new OutboundWriter(this.lock, options.maxQueuedEvents());
        this.acks = new AckTracker(this.subscriptions, this.listeners, scheduler, options.ackTimeout(),
                this::ackTimedOut);
        this.releaseResources = releaseResources;
    }

    /**
     * Creates a client over the JDK's WebSocket, with its own delivery thread and timer thread.
     *
     * @param options the options
     * @return the client, in state {@link ConnectionState#NEW}
     */
    public static ReconnectingClient create(WebSocketClientOptions options) {
        Objects.requireNonNull(options, "options");
        String name = "fanout-client-" + options.uri().getHost() + ":" + options.uri().getPort();
        ExecutorService deliveryThread = Executors.newSingleThreadExecutor(daemonThreads(name + "-delivery"));
        ScheduledThreadPoolExecutor timerThread = new ScheduledThreadPoolExecutor(1, daemonThreads(name + "-timer"));
        timerThread.setRemoveOnCancelPolicy(true);
        Scheduler scheduler = new ExecutorScheduler(timerThread);
        HttpClient httpClient = (options.httpClient() != null) ? options.httpClient() : HttpClient.newHttpClient();
        Transport transport = new JdkWebSocketTransport(httpClient, options.uri(), options.headers(),
                options.connectTimeout(), options.maxInboundMessageSize());
        return new ReconnectingClient(options, transport, scheduler, deliveryThread, RandomGenerator.getDefault(),
                () -> {
                    scheduler.shutdown();
                    deliveryThread.shutdown();
                });
    }

    private static ThreadFactory daemonThreads(String name) {
        return (runnable) -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void start() {
        Link started;
        synchronized (this.lock) {
            if (this.state != ConnectionState.NEW) {
                return;
            }
            started = beginAttempt(0);
        }
        open(started);
    }

    @Override
    public CompletableFuture<SubscriptionAck> subscribe(String topic, SubscribeOptions options) {
        Topics.requireValid(topic);
        Objects.requireNonNull(options, "options");
        CompletableFuture<SubscriptionAck> result;
        synchronized (this.lock) {
            if (this.state == ConnectionState.CLOSED) {
                return CompletableFuture.failedFuture(new ClientClosedException(topic));
            }
            SubscriptionRegistry.Topic entry = this.subscriptions.topic(topic);
            if (entry != null && !entry.subscribed.isCompletedExceptionally()) {
                return entry.subscribed.copy();
            }
            if (entry == null) {
                entry = this.subscriptions.add(topic);
            }
            else {
                entry.subscribed = new CompletableFuture<>();
            }
            entry.latest = options.latest();
            result = entry.subscribed.copy();
            if (this.state == ConnectionState.OPEN && entry.pendingId == null) {
                writeSubscribe(entry);
            }
        }
        this.outbound.pump();
        return result;
    }

    @Override
    public CompletableFuture<Void> unsubscribe(String topic) {
        Topics.requireValid(topic);
        CompletableFuture<Void> result;
        synchronized (this.lock) {
            if (this.state == ConnectionState.CLOSED) {
                return CompletableFuture.failedFuture(new ClientClosedException(topic));
            }
            this.delivery.submit(this.acks.unsubscribed(topic));
            if (this.state != ConnectionState.OPEN) {
                return CompletableFuture.completedFuture(null);
            }
            PendingRequest request = this.acks.trackUnsubscribe(topic);
            this.outbound.addControl(this.codec.unsubscribe(request.id, topic));
            result = Objects.requireNonNull(request.unsubscribed).copy();
        }
        this.outbound.pump();
        return result;
    }

    @Override
    public ListenerRegistration addEventListener(String type, EventListener listener) {
        return this.listeners.addEventListener(type, listener);
    }

    @Override
    public boolean removeEventListener(String type, EventListener listener) {
        return this.listeners.removeEventListener(type, listener);
    }

    @Override
    public boolean dispatchEvent(Event event) {
        Objects.requireNonNull(event, "event");
        Topics.requireValid(event.type());
        String message = this.codec.encode(event);
        synchronized (this.lock) {
            if (this.state == ConnectionState.CLOSED) {
                this.outbound.rejectEvent();
                return false;
            }
            if (!this.outbound.offerEvent(message)) {
                return false;
            }
        }
        this.outbound.pump();
        return true;
    }

    @Override
    public ListenerRegistration addStateListener(ConnectionStateListener listener) {
        return this.listeners.addStateListener(listener);
    }

    @Override
    public ListenerRegistration addSubscriptionListener(SubscriptionListener listener) {
        return this.listeners.addSubscriptionListener(listener);
    }

    @Override
    public ConnectionState state() {
        synchronized (this.lock) {
            return this.state;
        }
    }

    @Override
    public Set<String> subscriptions() {
        synchronized (this.lock) {
            return this.subscriptions.names();
        }
    }

    @Override
    public Optional<StreamPosition> position(String topic) {
        synchronized (this.lock) {
            SubscriptionRegistry.Topic entry = this.subscriptions.topic(topic);
            return Optional.ofNullable((entry != null) ? entry.position : null);
        }
    }

    @Override
    public int queuedEventCount() {
        return this.outbound.queuedEventCount();
    }

    @Override
    public long rejectedEventCount() {
        return this.outbound.rejectedEventCount();
    }

    @Override
    public void close() {
        Link closing;
        synchronized (this.lock) {
            if (this.state == ConnectionState.CLOSED) {
                return;
            }
            closing = this.link;
            this.link = null;
            this.reconnectTimer.cancel();
            this.delivery.submit(this.acks.closed());
            this.outbound.clear();
            transition(ConnectionState.CLOSED, 0, NORMAL_CLOSURE, "closed by the client", null);
            this.delivery.submit(this.releaseResources);
        }
        Transport.Channel channel = (closing != null) ? closing.channel : null;
        if (channel != null) {
            channel.close(NORMAL_CLOSURE, "");
        }
    }

    @Override
    public String toString() {
        return "WebSocketClientEventTarget[" + this.options.uri() + ", " + state() + "]";
    }

    /**
     * The one place where the state changes. Holds the guard.
     */
    private void transition(ConnectionState next, int attemptNumber, int closeCode, String closeReason,
            @Nullable Duration reconnectDelay) {
        ConnectionState previous = this.state;
        if (!isAllowed(previous, next)) {
            throw new IllegalStateException("No transition from " + previous + " to " + next);
        }
        this.state = next;
        ConnectionStateChange change = new ConnectionStateChange(previous, next, attemptNumber, closeCode, closeReason,
                reconnectDelay);
        this.delivery.submit(() -> this.listeners.fireStateChange(change));
    }

    private static boolean isAllowed(ConnectionState from, ConnectionState to) {
        return switch (to) {
            case NEW -> false;
            case CONNECTING -> from == ConnectionState.NEW || from == ConnectionState.RECONNECTING;
            case OPEN -> from == ConnectionState.CONNECTING;
            case RECONNECTING -> from == ConnectionState.CONNECTING || from == ConnectionState.OPEN;
            case CLOSED -> from != ConnectionState.CLOSED;
        };
    }

    /** Holds the guard. */
    private Link beginAttempt(int attemptNumber) {
        transition(ConnectionState.CONNECTING, attemptNumber, 0, "", null);
        Link attemptLink = new Link();
        this.link = attemptLink;
        return attemptLink;
    }

    private void open(Link attemptLink) {
        CompletableFuture<Transport.Channel> opening;
        try {
            opening = this.transport.open(attemptLink);
        }
        catch (RuntimeException ex) {
            opening = CompletableFuture.failedFuture(ex);
        }
        opening.whenComplete((channel, error) -> {
            if (error != null) {
                lost(attemptLink, ABNORMAL_CLOSURE, describe(error));
            }
            else {
                opened(attemptLink, channel);
            }
        });
    }

    private void opened(Link openedLink, Transport.Channel channel) {
        boolean current;
        synchronized (this.lock) {
            current = this.link == openedLink && this.state == ConnectionState.CONNECTING;
            if (current) {
                openedLink.channel = channel;
                this.openedAtNanos = this.scheduler.nanoTime();
                transition(ConnectionState.OPEN, 0, 0, "", null);
                for (SubscriptionRegistry.Topic topic : this.subscriptions.topics()) {
                    writeSubscribe(topic);
                }
                this.outbound.attach(channel);
            }
        }
        if (!current) {
            channel.close(NORMAL_CLOSURE, "");
            return;
        }
        logger.debug("Connected to {}", this.options.uri());
        // Outside the guard: the JDK may deliver the first message on this thread.
        channel.requestNext();
        this.outbound.pump();
    }

    private void lost(Link lostLink, int code, String reason) {
        synchronized (this.lock) {
            if (this.link != lostLink || this.state == ConnectionState.CLOSED) {
                return;
            }
            boolean wasStable = this.state == ConnectionState.OPEN && this.scheduler.nanoTime()
                    - this.openedAtNanos >= this.options.reconnectMaxDelay().toNanos();
            this.link = null;
            this.outbound.detach();
            this.delivery.submit(this.acks.connectionLost());
            this.attempt = wasStable ? 1 : this.attempt + 1;
            Duration delay = this.backoff.delay(this.attempt, this.random);
            logLoss(code, reason, delay);
            transition(ConnectionState.RECONNECTING, this.attempt, code, reason, delay);
            this.reconnectTimer = this.scheduler.schedule(delay, this::reconnectDue);
        }
    }

    private void logLoss(int code, String reason, Duration delay) {
        String safeReason = FrameCodec.excerpt(reason);
        if (code == CloseCodes.MESSAGE_TOO_BIG) {
            this.hubLog.warn("Hub {} closed with 1009: a message written was over its size limit; it is not resent",
                    this.options.uri());
        }
        else if (code == CloseCodes.SLOW_CONSUMER) {
            this.hubLog.warn("Hub {} closed with 1013 (this client read too slowly); reconnecting in {} ms",
                    this.options.uri(), delay.toMillis());
        }
        if (this.attempt == 1) {
            logger.info("Connection to {} lost ({} {}); reconnecting in {} ms", this.options.uri(), code, safeReason,
                    delay.toMillis());
        }
        else {
            logger.debug("Attempt {} to {} failed ({} {}); next in {} ms", this.attempt - 1, this.options.uri(), code,
                    safeReason, delay.toMillis());
        }
    }

    private void reconnectDue() {
        Link next;
        synchronized (this.lock) {
            if (this.state != ConnectionState.RECONNECTING) {
                return;
            }
            next = beginAttempt(this.attempt);
        }
        open(next);
    }

    private void received(Link from, String text) {
        InboundFrame frame = this.codec.decode(text);
        synchronized (this.lock) {
            Transport.Channel channel = from.channel;
            if (this.link != from || channel == null) {
                return;
            }
            Runnable handling = handle(frame);
            this.delivery.submit(() -> {
                handling.run();
                channel.requestNext();
            });
        }
    }

    /**
     * Applies a frame to the registry now (so a reconnect sees every offset received) and returns what the delivery
     * thread does with it. Holds the guard.
     */
    private Runnable handle(InboundFrame frame) {
        if (frame instanceof InboundFrame.EventFrame event) {
            if (event.offset() != null) {
                this.subscriptions.recordOffset(event.event().type(), event.offset());
            }
            return () -> this.listeners.fireEvent(event.event());
        }
        if (frame instanceof InboundFrame.Ack ack) {
            return this.acks.acknowledged(ack);
        }
        if (frame instanceof InboundFrame.ErrorReply error) {
            return AckTracker.isRequestId(error.id()) ? this.acks.refused(error)
                    : () -> this.listeners.fireEvent(error.event());
        }
        this.hubLog.warn("Ignored a message from hub {}: {}", this.options.uri(), ((InboundFrame.Ignored) frame).reason());
        return () -> {
        };
    }

    private void ackTimedOut(String id) {
        synchronized (this.lock) {
            this.delivery.submit(this.acks.timedOut(id));
        }
    }

    /** Holds the guard. */
    private void writeSubscribe(SubscriptionRegistry.Topic topic) {
        PendingRequest request = this.acks.trackSubscribe(topic);
        this.outbound.addControl(this.codec.subscribe(request.id, topic.name, request.since, topic.latest));
    }

    private static String describe(Throwable error) {
        Throwable cause = (error instanceof CompletionException && error.getCause() != null) ? error.getCause() : error;
        return (cause.getMessage() != null) ? cause.getMessage() : cause.getClass().getSimpleName();
    }

    /**
     * One connection attempt and, once open, its connection: the transport's listener for it.
     */
    private final class Link implements Transport.ChannelListener {

        /** Set under the guard when the attempt succeeds. */
        Transport.@Nullable Channel channel;

        @Override
        public void onMessage(String text) {
            received(this, text);
        }

        @Override
        public void onClose(int code, String reason) {
            lost(this, code, reason);
        }
    }
}
