/**
 * Tests of the graceful drain.
 */
@NullMarked
package dev.fanout.spring.shutdown;

import org.jspecify.annotations.NullMarked;
