/**
 * The hub's Micrometer meters, read from {@link dev.fanout.HubStatistics}; used only when Micrometer is on the class
 * path.
 */
@NullMarked
package dev.fanout.spring.metrics;

import org.jspecify.annotations.NullMarked;
