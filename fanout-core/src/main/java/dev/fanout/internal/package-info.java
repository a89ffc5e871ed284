/**
 * Implementation of the hub. Not API: the module exports only {@code dev.fanout}, and anything here may change
 * without notice.
 */
@NullMarked
package dev.fanout.internal;

import org.jspecify.annotations.NullMarked;
