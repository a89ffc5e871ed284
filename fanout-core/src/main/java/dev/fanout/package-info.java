/**
 * The fanout hub API: {@link dev.fanout.WebSocketServerEventTarget} fans typed {@link dev.fanout.Event}s out to the
 * spokes subscribed to each topic, over any WebSocket implementation adapted to {@link dev.fanout.RawSocket}.
 */
@NullMarked
package dev.fanout;

import org.jspecify.annotations.NullMarked;
