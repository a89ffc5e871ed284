package dev.fanout.client;

import org.jspecify.annotations.Nullable;

/**
 * Where a spoke is in a topic's history: the offset of the last event it received and the epoch of the history that
 * offset belongs to (protocol 1.2 recovery, issue 13). A topic without history has no position.
 *
 * @param epoch the history's epoch as the hub reported it in an {@code __ack}, or {@code null} if it did not
 * @param offset the offset of the last event received ({@code "offset":N} in its frame), or the latest offset the hub
 *     reported when the subscription was acknowledged
 */
public record StreamPosition(@Nullable String epoch, long offset) {
}
