/**
 * The Jetty 12 implementation of the send path's container port, {@link dev.fanout.spring.websocket.AsyncEndpoint}:
 * everything the starter knows about Jetty's WebSocket implementation ({@code org.eclipse.jetty.ee11.websocket:
 * jetty-ee11-websocket-jakarta-common} and Jetty's WebSocket core, optional dependencies that
 * {@code spring-boot-starter-jetty} brings) lives here, beside the Tomcat one.
 */
@NullMarked
package dev.fanout.spring.websocket.jetty;

import org.jspecify.annotations.NullMarked;
