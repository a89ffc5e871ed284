/**
 * Annotated receivers of spoke events: {@link dev.fanout.spring.listener.FanoutListener @FanoutListener}.
 */
@NullMarked
package dev.fanout.spring.listener;

import org.jspecify.annotations.NullMarked;
