/**
 * What both servers under test share, so neither carries extra weight: the port file the runner waits for and the
 * memory endpoint the load client reads.
 */
@NullMarked
package dev.fanout.benchmarks.load.server;

import org.jspecify.annotations.NullMarked;
