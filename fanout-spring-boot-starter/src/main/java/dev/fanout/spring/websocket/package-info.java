/**
 * The Spring WebSocket side of the starter: {@link dev.fanout.spring.websocket.FanoutWebSocketHandler} adapts each
 * session to a {@link dev.fanout.RawSocket} ({@link dev.fanout.spring.websocket.WebSocketSessionRawSocket}) with its
 * own non-blocking outbound queue, send-stall detection and heartbeat.
 */
@NullMarked
package dev.fanout.spring.websocket;

import org.jspecify.annotations.NullMarked;
