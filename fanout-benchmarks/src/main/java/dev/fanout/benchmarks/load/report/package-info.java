/**
 * Turns the load client's result lines into the table of docs/benchmarks.md, and JFR recordings into hot-method lists.
 */
@NullMarked
package dev.fanout.benchmarks.load.report;

import org.jspecify.annotations.NullMarked;
