/**
 * Test support shipped as fanout-core's test-jar: an in-memory {@link dev.fanout.RawSocket} and the policy for
 * tests that need outside programs.
 */
@NullMarked
package dev.fanout.testing;

import org.jspecify.annotations.NullMarked;
