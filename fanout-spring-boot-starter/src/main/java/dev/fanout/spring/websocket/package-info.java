/**
 * The Spring WebSocket side of the starter: {@link dev.fanout.spring.websocket.FanoutWebSocketHandler} adapts each
 * session to a {@link dev.fanout.RawSocket} and hands it to the hub.
 *
 * <h2>The send path, part by part</h2>
 * <ul>
 * <li>{@link dev.fanout.spring.websocket.WebSocketSessionRawSocket}: the facade the hub sees. It composes the parts
 * below and does nothing else: metadata, {@code send} (enqueue), {@code close} (record, drop the queue, tell the
 * listener, queue the close frame), and the watchdog's verdicts.</li>
 * <li>{@link dev.fanout.spring.websocket.SendLoop}: one connection's queue (messages, then the close, in one
 * queue, so a close can never overtake a message) and its state machine ({@code IDLE → SCHEDULED → RUNNING →
 * AWAITING_SEND → …}, {@code CLOSED} final), all transitions under one short lock that is never held while the
 * container is called. A run writes the backlog as one batch, up to a quantum of 32 KiB, and ends it with a flush;
 * with more queued the loop goes back to the end of the ready queue, so many backlogs drain round-robin. Pings and
 * the close are written between batches. The buffered amount is exact at every step.</li>
 * <li>{@link dev.fanout.spring.websocket.SendScheduler}: the one ready queue of all connections and its drainer
 * threads. A publisher never writes: it appends the loop it made ready and starts a drainer only if none is awake
 * (a drainer that sees more work waiting adds a helper, up to one per core), so a dispatch to many idle spokes costs
 * a wake-up or two and each spoke one system call. A drainer stuck in a
 * blocking write (a peer that stopped reading) is replaced after 2 ms, so such a peer holds one thread and never
 * delays the others for longer.</li>
 * <li>{@link dev.fanout.spring.websocket.AsyncEndpoint}: the container port (send asynchronously, open and end a
 * batch, ping, close, suspend and resume reading); {@link dev.fanout.spring.websocket.tomcat.TomcatAsyncEndpoint}
 * implements it on Tomcat and {@link dev.fanout.spring.websocket.jetty.JettyAsyncEndpoint} on Jetty 12, each owning
 * every setting of its container; {@link dev.fanout.spring.websocket.AsyncEndpoints} picks one by the session's
 * type, and a session of any other container is closed with 1011 and a message naming the supported ones. Both
 * containers upgrade with the standard Jakarta WebSocket API
 * ({@link dev.fanout.spring.websocket.FanoutHandshakeHandler}).</li>
 * <li>{@link dev.fanout.spring.websocket.InboundDelivery}: inbound message parts joined
 * ({@link dev.fanout.spring.websocket.MessageAssembler}, max-message-size enforced with 1009), listener calls
 * sequential, the close delivered last and once, without blocking the closing thread.</li>
 * <li>{@link dev.fanout.spring.websocket.Liveness}: heartbeat and stall verdicts as a pure function of timestamps;
 * {@link dev.fanout.spring.websocket.SessionSupervisor} is the watchdog that asks for them and acts (1013, 1001,
 * ping).</li>
 * <li>{@link dev.fanout.spring.websocket.SocketThreads}: every thread of the starter, created and stopped in one
 * place, each logging an uncaught exception at WARN.</li>
 * </ul>
 *
 * <h2>Why a lock and a shared drainer</h2>
 * The first version was lock-free (a CAS-owned drain flag, a three-state CAS per send) and handed every first send of
 * an idle socket to a pool task, so a dispatch to 1,000 idle spokes cost 1,000 task hand-offs plus 1,000 container
 * completion tasks (Tomcat dispatches the completion of every unbatched asynchronous send to its executor). Here all
 * state lives under one monitor per connection, rarely contended (a publisher and a drainer meet on it only for the
 * few instructions of an enqueue); the load harness's R=max pairs show no loss from it (docs/benchmarks.md). A lone
 * message is written directly by the drainer, with one system call and no container task; a backlog is batched
 * (Tomcat completes a batched send inline, on the drainer) and flushed once.
 */
@NullMarked
package dev.fanout.spring.websocket;

import org.jspecify.annotations.NullMarked;
