/**
 * The end-to-end load harness: two server applications under test (a fanout hub on the starter and a Spring STOMP
 * simple-broker app), a load client, and the report tools. Run everything with {@code fanout-benchmarks/run-load.sh};
 * docs/benchmarks.md has the commands and the results.
 */
@NullMarked
package dev.fanout.benchmarks.load;

import org.jspecify.annotations.NullMarked;
