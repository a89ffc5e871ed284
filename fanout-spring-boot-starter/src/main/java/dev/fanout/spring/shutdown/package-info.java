/**
 * Graceful drain of the hub's spokes when the application shuts down: new spokes are refused, connected ones are
 * closed with 1001 (Going Away) in slices spread over {@code fanout.shutdown.drain-period}, before the web server
 * stops.
 */
@NullMarked
package dev.fanout.spring.shutdown;

import org.jspecify.annotations.NullMarked;
