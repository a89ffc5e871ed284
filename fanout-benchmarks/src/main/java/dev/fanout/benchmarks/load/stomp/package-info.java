/**
 * The STOMP side of the comparison: what a Spring user would otherwise pick, with Boot's defaults.
 */
@NullMarked
package dev.fanout.benchmarks.load.stomp;

import org.jspecify.annotations.NullMarked;
