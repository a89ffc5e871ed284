/**
 * The test fixtures shipped as fanout-core's test-jar, the one home of the helpers every module's tests share: an
 * in-memory {@link dev.fanout.RawSocket} ({@link dev.fanout.testing.InMemoryRawSocket}) and a real JDK WebSocket
 * spoke ({@link dev.fanout.testing.TestSpoke}); the protocol's frame builders ({@link dev.fanout.Frames}) ship with
 * them, with the policy for tests that need outside programs.
 */
@NullMarked
package dev.fanout.testing;

import org.jspecify.annotations.NullMarked;
