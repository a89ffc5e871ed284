/**
 * The fanout sample app: a simulated price feed, a validated chat room, a publish API and hub statistics, shown by
 * the page at {@code /}. It uses only the public surface of the fanout Spring Boot starter.
 */
@NullMarked
package dev.fanout.sample;

import org.jspecify.annotations.NullMarked;
