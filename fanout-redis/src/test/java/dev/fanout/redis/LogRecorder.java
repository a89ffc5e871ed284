package dev.fanout.redis;

import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

/**
 * Records the log lines of the broker's logger (or another class's) at WARN and above while open.
 */
final class LogRecorder implements AutoCloseable {

    private final Logger logger;

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    LogRecorder() {
        this(RedisBroker.class);
    }

    LogRecorder(Class<?> loggerOf) {
        this.logger = (Logger) LoggerFactory.getLogger(loggerOf);
        this.appender.start();
        this.logger.addAppender(this.appender);
        this.logger.setLevel(Level.INFO);
    }

    List<String> warnings() {
        return this.appender.list.stream()
            .filter((event) -> event.getLevel().isGreaterOrEqual(Level.WARN))
            .map(ILoggingEvent::getFormattedMessage)
            .toList();
    }

    @Override
    public void close() {
        this.logger.detachAppender(this.appender);
        this.logger.setLevel(null);
    }
}
