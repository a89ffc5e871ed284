/**
 * JMH microbenchmarks of fanout-core's hot paths, over in-memory sockets. Run with
 * {@code java -jar fanout-benchmarks/target/benchmarks.jar} after {@code ./mvnw -pl fanout-benchmarks -am package}.
 */
@NullMarked
package dev.fanout.benchmarks.jmh;

import org.jspecify.annotations.NullMarked;
