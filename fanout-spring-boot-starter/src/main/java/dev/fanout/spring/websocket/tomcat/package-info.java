/**
 * The Tomcat implementation of the send path's container port, {@link dev.fanout.spring.websocket.AsyncEndpoint}:
 * everything the starter knows about Tomcat's WebSocket implementation ({@code org.apache.tomcat.embed:
 * tomcat-embed-websocket}, an optional dependency) lives here. Another container plugs in beside it, as a sibling
 * package.
 */
@NullMarked
package dev.fanout.spring.websocket.tomcat;

import org.jspecify.annotations.NullMarked;
