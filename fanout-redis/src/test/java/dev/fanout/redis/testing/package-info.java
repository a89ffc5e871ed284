/**
 * Test support shipped as fanout-redis's test-jar: a real {@code redis-server} that a test starts, pauses, kills and
 * restarts, and a tiny RESP client to inspect it.
 */
@NullMarked
package dev.fanout.redis.testing;

import org.jspecify.annotations.NullMarked;
