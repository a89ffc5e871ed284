package dev.fanout.sample;

import dev.fanout.spring.event.SpokeBackpressureEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Counts the spokes the hub disconnected because they read too slowly, from the starter's application events.
 */
@Component
public final class HubEventCounter {

    private static final Logger logger = LoggerFactory.getLogger(HubEventCounter.class);

    private final ActivityCounters counters;

    /**
     * Creates the counter.
     *
     * @param counters the counters to update
     */
    public HubEventCounter(ActivityCounters counters) {
        this.counters = counters;
    }

    /**
     * Counts a backpressure disconnect.
     *
     * @param event the starter's event
     */
    @EventListener
    public void onBackpressure(SpokeBackpressureEvent event) {
        this.counters.backpressureDisconnect();
        logger.info("Spoke disconnected for backpressure: {}", event);
    }
}
