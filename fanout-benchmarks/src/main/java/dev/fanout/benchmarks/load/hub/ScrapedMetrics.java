package dev.fanout.benchmarks.load.hub;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.fanout.spring.metrics.FanoutMetrics;

/**
 * The hub with its metrics in use (the load harness's {@code fanout-metrics} server), when
 * {@code bench.metrics.scrape-interval} is set: the starter's {@link FanoutMetrics} bound to a Prometheus registry,
 * and that registry scraped at the interval on a daemon thread while the hub runs, as a Prometheus server reading
 * {@code /actuator/prometheus} would, only more often. Without the property no registry exists and the binder is never
 * bound, as in an application without Micrometer.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("bench.metrics.scrape-interval")
class ScrapedMetrics {

    private static final Logger log = LoggerFactory.getLogger(ScrapedMetrics.class);

    @Bean(destroyMethod = "close")
    PrometheusMeterRegistry benchMeterRegistry(FanoutMetrics metrics) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        metrics.bindTo(registry);
        return registry;
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService benchScraper(PrometheusMeterRegistry registry,
            @Value("${bench.metrics.scrape-interval}") Duration interval) {
        ScheduledExecutorService scraper = Executors.newSingleThreadScheduledExecutor((task) -> {
            Thread thread = new Thread(task, "bench-scraper");
            thread.setDaemon(true);
            return thread;
        });
        AtomicLong scrapes = new AtomicLong();
        scraper.scheduleAtFixedRate(() -> {
            String text = registry.scrape();
            long count = scrapes.incrementAndGet();
            if (count == 1) {
                // The harness logs at WARN, so this one line proves in the server log that scraping runs.
                log.warn("bench: scraping {} meters ({} bytes) every {}", registry.getMeters().size(), text.length(),
                        interval);
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return scraper;
    }
}
