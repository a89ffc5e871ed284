package dev.fanout.sample;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * A simulated market: on each tick about half of the configured symbols move by a small random step and are
 * published on {@code prices.<SYMBOL>} as a {@link Quote}. Runs on one thread of its own from context refresh until
 * shutdown, when it stops before the web server does. Off with {@code sample.feed.enabled=false}.
 */
@Component
@ConditionalOnProperty(prefix = "sample.feed", name = "enabled", havingValue = "true", matchIfMissing = true)
public final class PriceFeed implements SmartLifecycle {

    private static final Logger logger = LoggerFactory.getLogger(PriceFeed.class);

    private static final double VOLATILITY = 0.004;

    private final Publisher publisher;

    private final SampleProperties.Feed settings;

    private final Clock clock;

    private final Random random = new Random();

    private final List<Ticker> tickers = new ArrayList<>();

    private @Nullable ScheduledExecutorService executor;

    /**
     * Creates the feed.
     *
     * @param publisher where to publish the quotes
     * @param properties the sample settings ({@code sample.feed.*})
     */
    public PriceFeed(Publisher publisher, SampleProperties properties) {
        this.publisher = publisher;
        this.settings = properties.getFeed();
        this.clock = Clock.systemUTC();
        for (String symbol : this.settings.getSymbols()) {
            double open = Math.round((20 + this.random.nextDouble() * 280) * 100) / 100.0;
            this.tickers.add(new Ticker(symbol, open));
        }
    }

    @Override
    public synchronized void start() {
        if (this.executor != null) {
            return;
        }
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor((task) -> {
            Thread thread = new Thread(task, "price-feed");
            thread.setDaemon(true);
            return thread;
        });
        long interval = Math.max(1, this.settings.getInterval().toMillis());
        started.scheduleAtFixedRate(this::tickSafely, interval, interval, TimeUnit.MILLISECONDS);
        this.executor = started;
        logger.info("Price feed started: {} symbols every {} ms", this.tickers.size(), interval);
    }

    @Override
    public synchronized void stop() {
        ScheduledExecutorService running = this.executor;
        if (running == null) {
            return;
        }
        this.executor = null;
        running.shutdownNow();
        try {
            if (!running.awaitTermination(5, TimeUnit.SECONDS)) {
                logger.warn("Price feed did not stop within 5 seconds");
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return this.executor != null;
    }

    private void tickSafely() {
        try {
            tick();
        }
        catch (RuntimeException ex) {
            logger.warn("Price feed tick failed; the next tick goes on", ex);
        }
    }

    private void tick() {
        long now = this.clock.millis();
        for (Ticker ticker : this.tickers) {
            if (this.random.nextBoolean()) {
                double price = ticker.move(this.random.nextGaussian() * VOLATILITY);
                this.publisher.publish("prices." + ticker.symbol, new Quote(ticker.symbol, price, ticker.open, now));
            }
        }
    }

    private static final class Ticker {

        private final String symbol;

        private final double open;

        private double price;

        Ticker(String symbol, double open) {
            this.symbol = symbol;
            this.open = open;
            this.price = open;
        }

        double move(double relativeStep) {
            this.price = Math.max(0.01, Math.round(this.price * Math.exp(relativeStep) * 100) / 100.0);
            return this.price;
        }
    }
}
