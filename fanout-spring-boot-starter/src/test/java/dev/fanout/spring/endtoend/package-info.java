/**
 * End-to-end tests of the starter over a real embedded Tomcat with real WebSocket clients.
 */
@NullMarked
package dev.fanout.spring.endtoend;

import org.jspecify.annotations.NullMarked;
