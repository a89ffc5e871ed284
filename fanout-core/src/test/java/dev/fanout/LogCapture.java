package dev.fanout;

import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

/**
 * Records what the hub logs, from DEBUG up, while it is open; the hub's lines do not reach the console meanwhile.
 */
final class LogCapture implements AutoCloseable {

    static final String HUB_LOGGER = "dev.fanout.WebSocketServerEventTarget";

    private final Logger logger;

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private final Level previousLevel;

    private final boolean previousAdditive;

    private LogCapture(String loggerName) {
        this.logger = (Logger) LoggerFactory.getLogger(loggerName);
        this.previousLevel = this.logger.getLevel();
        this.previousAdditive = this.logger.isAdditive();
        this.appender.start();
        this.logger.addAppender(this.appender);
        this.logger.setLevel(Level.DEBUG);
        this.logger.setAdditive(false);
    }

    static LogCapture ofHub() {
        return new LogCapture(HUB_LOGGER);
    }

    List<ILoggingEvent> events() {
        return List.copyOf(this.appender.list);
    }

    List<ILoggingEvent> atLevel(Level level) {
        return events().stream().filter((event) -> event.getLevel() == level).toList();
    }

    @Override
    public void close() {
        this.logger.detachAppender(this.appender);
        this.logger.setLevel(this.previousLevel);
        this.logger.setAdditive(this.previousAdditive);
        this.appender.stop();
    }
}
