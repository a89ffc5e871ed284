/**
 * Test support shipped as fanout-core's test-jar: an in-memory {@link dev.fanout.RawSocket}.
 */
@NullMarked
package dev.fanout.testing;

import org.jspecify.annotations.NullMarked;
