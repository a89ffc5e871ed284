package dev.fanout.redis;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

/**
 * The broker's connection to Redis as a state machine: it opens a link (both connections at once), keeps it while it
 * is UP, and after a failed attempt or a lost connection closes what is left and tries again with
 * {@linkplain ReconnectBackoff backoff}, until it is closed.
 *
 * <pre>
 *   NEW ──start──▶ CONNECTING ──link open──▶ UP
 *                    ▲    │                   │
 *          backoff   │    │ attempt failed    │ a connection of the link lost
 *          elapsed   │    ▼                   │
 *                  RECONNECTING ◀─────────────┘
 *   every state but CLOSED ──close──▶ CLOSED (final)
 * </pre>
 *
 * Every change of state goes through {@link #transition}, a compare-and-set against the state the caller saw: so a
 * {@link #close} from any thread can never be overwritten by the control thread finishing an attempt, and a task that
 * finds the state moved on does nothing.
 *
 * <p>The {@link Listener} hears of each step on the control thread, in order: {@code opened} (install the link; the
 * state is still CONNECTING), {@code up}, then for a lost link {@code lost} (uninstall it; it is closed right after)
 * and {@code down}. {@code down} says whether it is the first failure since the last UP (or since the start), the
 * one to announce.
 *
 * <p>Thread-safe: {@link #start}, {@link #close} and {@link #state} from any thread; {@link #lost} and
 * {@link #release} on the control thread only.
 *
 * @param <L> the link: the connections that are opened, used and lost together
 */
final class ConnectionLifecycle<L> {

    /** The lifecycle's states; see the class comment for the transitions. */
    enum State {
        NEW, CONNECTING, UP, RECONNECTING, CLOSED;

        boolean canMoveTo(State next) {
            return switch (this) {
                case NEW -> next == CONNECTING || next == CLOSED;
                case CONNECTING -> next == UP || next == RECONNECTING || next == CLOSED;
                case UP -> next == RECONNECTING || next == CLOSED;
                case RECONNECTING -> next == CONNECTING || next == CLOSED;
                case CLOSED -> false;
            };
        }
    }

    /**
     * Opens and closes links. Called on the control thread.
     *
     * @param <L> the link
     */
    interface Connector<L> {

        /**
         * Starts opening a link.
         *
         * @return a stage completing, on any thread, with the link, or exceptionally (having closed what it opened)
         */
        CompletionStage<L> open();

        /** Whether every connection of the link is still open. */
        boolean isOpen(L link);

        /** Whether the connection is one of the link's. */
        boolean owns(L link, Object connection);

        /** Closes the link's connections without waiting; never throws. */
        void close(L link);
    }

    /**
     * Hears of the lifecycle's steps, on the control thread, in order.
     *
     * @param <L> the link
     */
    interface Listener<L> {

        /** A link is open: install it, so that what is sent from now on uses it. The state is still CONNECTING. */
        void opened(L link);

        /** The state turned UP with the installed link. */
        void up(L link);

        /** The installed link was lost: uninstall it. It is closed right after. */
        void lost(L link);

        /**
         * The state turned RECONNECTING; the next attempt is scheduled.
         *
         * @param reason what failed, for the log
         * @param firstSinceUp whether this is the first failure since the last UP, or since the start
         */
        void down(String reason, boolean firstSinceUp);
    }

    private final Connector<L> connector;

    private final Listener<L> listener;

    private final Scheduler control;

    private final ReconnectBackoff backoff;

    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);

    /** Control thread only: the installed link, null unless UP (or CLOSED from UP, until released). */
    private @Nullable L link;

    /** Control thread only: whether {@code down} was told of a failure since the last UP. */
    private boolean downAnnounced;

    ConnectionLifecycle(Connector<L> connector, Listener<L> listener, Scheduler control, ReconnectBackoff backoff) {
        this.connector = connector;
        this.listener = listener;
        this.control = control;
        this.backoff = backoff;
    }

    /**
     * The state now.
     *
     * @return the state; {@link State#CLOSED} is final
     */
    State state() {
        return this.state.get();
    }

    /**
     * Starts the first attempt, on the control thread.
     *
     * @throws IllegalStateException unless the lifecycle is {@link State#NEW}
     */
    void start() {
        if (!transition(State.NEW, State.CONNECTING)) {
            throw new IllegalStateException("This broker is already attached to a hub, or closed");
        }
        this.control.execute(this::connect);
    }

    /**
     * Closes the lifecycle: no task starts or installs a link afterwards. The caller then {@linkplain #release
     * releases} the link on the control thread and closes it.
     *
     * @return {@code true} if this call closed it, {@code false} if it was closed already
     */
    boolean close() {
        State current = this.state.get();
        while (current != State.CLOSED) {
            if (transition(current, State.CLOSED)) {
                return true;
            }
            current = this.state.get();
        }
        return false;
    }

    /**
     * Control thread, after {@link #close}: the installed link, forgotten, for the caller to close.
     *
     * @return the link, or null if none was installed
     */
    @Nullable L release() {
        L installed = this.link;
        this.link = null;
        return installed;
    }

    /**
     * Control thread: a connection was lost. Lettuce tells of every connection it closes, ours and others' (those of
     * failed attempts, of the history store); only one of the installed link's turns the lifecycle to RECONNECTING.
     *
     * @param connection the connection Lettuce reported
     */
    void lost(Object connection) {
        L lostLink = this.link;
        if (lostLink == null || !this.connector.owns(lostLink, connection) || !transition(State.UP, State.RECONNECTING)) {
            return;
        }
        this.link = null;
        this.listener.lost(lostLink);
        this.connector.close(lostLink);
        down("the connection to Redis was lost");
    }

    @Override
    public String toString() {
        return this.state.get().toString();
    }

    /** The one place where the state changes: from the state the caller saw, or not at all. */
    private boolean transition(State from, State to) {
        if (!from.canMoveTo(to)) {
            throw new IllegalStateException("No transition from " + from + " to " + to);
        }
        return this.state.compareAndSet(from, to);
    }

    private void connect() {
        if (this.state.get() != State.CONNECTING) {
            return;
        }
        try {
            this.connector.open().whenCompleteAsync(this::opened, this.control);
        }
        catch (RuntimeException ex) {
            failed(rootMessage(ex));
        }
    }

    private void opened(@Nullable L opened, @Nullable Throwable failure) {
        if (this.state.get() != State.CONNECTING) {
            if (opened != null) {
                this.connector.close(opened);
            }
            return;
        }
        if (failure != null || opened == null || !this.connector.isOpen(opened)) {
            if (opened != null) {
                this.connector.close(opened);
            }
            failed((failure != null) ? rootMessage(failure) : "the connection closed while opening");
            return;
        }
        this.listener.opened(opened);
        this.link = opened;
        // A close() since the check above wins: the link stays installed for release() to close.
        if (!transition(State.CONNECTING, State.UP)) {
            return;
        }
        this.backoff.reset();
        this.downAnnounced = false;
        this.listener.up(opened);
    }

    private void failed(String reason) {
        if (transition(State.CONNECTING, State.RECONNECTING)) {
            down(reason);
        }
    }

    private void down(String reason) {
        boolean first = !this.downAnnounced;
        this.downAnnounced = true;
        this.listener.down(reason, first);
        try {
            this.control.schedule(this::reconnect, this.backoff.next());
        }
        catch (RejectedExecutionException ex) {
            // Closing: the control thread is shut down.
        }
    }

    private void reconnect() {
        if (transition(State.RECONNECTING, State.CONNECTING)) {
            connect();
        }
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
