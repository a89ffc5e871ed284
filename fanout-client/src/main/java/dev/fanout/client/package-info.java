/**
 * The Java spoke: {@link dev.fanout.client.WebSocketClientEventTarget} connects to a fanout hub, subscribes to topics
 * with acknowledgements, sends events, and reconnects and resubscribes by itself until it is closed.
 */
@NullMarked
package dev.fanout.client;

import org.jspecify.annotations.NullMarked;
