package dev.fanout.spring.websocket;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the daemon threads of fanout's pools, named {@code <prefix>-<n>}, each with an uncaught-exception handler
 * that logs the failure at WARN, so that a thread that dies never leaves its failure only on stderr. Thread-safe.
 */
final class DaemonThreadFactory implements ThreadFactory {

    private static final Logger logger = LoggerFactory.getLogger(DaemonThreadFactory.class);

    private static final Thread.UncaughtExceptionHandler LOG_AT_WARN = (thread, failure) -> logger
        .warn("Thread {} died of an uncaught exception; its pool replaces it", thread.getName(), failure);

    private final String prefix;

    private final AtomicInteger count = new AtomicInteger();

    DaemonThreadFactory(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread thread = new Thread(task, this.prefix + "-" + this.count.incrementAndGet());
        thread.setDaemon(true);
        thread.setUncaughtExceptionHandler(LOG_AT_WARN);
        return thread;
    }
}
