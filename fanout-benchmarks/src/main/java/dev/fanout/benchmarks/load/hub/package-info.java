/**
 * The fanout side of the comparison: a hub app on the starter with one relay listener.
 */
@NullMarked
package dev.fanout.benchmarks.load.hub;

import org.jspecify.annotations.NullMarked;
