package dev.fanout.spring.websocket;

import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * What every {@link WebSocketSessionRawSocket} shares: the settings, the scheduler that runs its sends, an executor
 * for closing a connection whose write is stuck, and the clock. Made by {@link SessionSupervisor}; tests make one of
 * fakes.
 *
 * @param settings the limits and timers
 * @param scheduler runs the send loops
 * @param io closes connections whose write is stuck (a bounded block)
 * @param clock the time in nanoseconds ({@link System#nanoTime()} in production)
 */
record SocketRuntime(SocketSettings settings, SendLoop.Scheduler scheduler, Executor io, LongSupplier clock) {
}
