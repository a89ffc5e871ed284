/**
 * The implementation of the Java spoke: the connection state machine, the outbound queue, the subscription registry,
 * the wire codec and the adapter over {@code java.net.http.WebSocket}. Not API.
 */
@NullMarked
package dev.fanout.client.internal;

import org.jspecify.annotations.NullMarked;
