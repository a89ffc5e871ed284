/**
 * Test support: {@link dev.fanout.spring.test.TestSpoke}, a JDK WebSocket client playing a spoke.
 */
@NullMarked
package dev.fanout.spring.test;

import org.jspecify.annotations.NullMarked;
