/**
 * Spring application events about spoke connections: {@link dev.fanout.spring.event.SpokeConnectedEvent},
 * {@link dev.fanout.spring.event.SpokeDisconnectedEvent} and {@link dev.fanout.spring.event.SpokeBackpressureEvent};
 * and about the cluster broker: {@link dev.fanout.spring.event.BrokerStateChangeEvent}.
 */
@NullMarked
package dev.fanout.spring.event;

import org.jspecify.annotations.NullMarked;
