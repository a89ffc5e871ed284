/**
 * The load client: a small non-blocking WebSocket client over NIO selectors, light enough that many thousand
 * subscribers cost the client less than the server, and the measurements it takes.
 */
@NullMarked
package dev.fanout.benchmarks.load.client;

import org.jspecify.annotations.NullMarked;
