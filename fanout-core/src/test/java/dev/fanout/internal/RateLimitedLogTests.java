package dev.fanout.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimitedLogTests {

    private final Logger logger = (Logger) LoggerFactory.getLogger(RateLimitedLogTests.class);

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private final AtomicLong now = new AtomicLong(1_000);

    private final RateLimitedLog log;

    RateLimitedLogTests() {
        this.appender.start();
        this.logger.addAppender(this.appender);
        this.logger.setLevel(Level.DEBUG);
        this.logger.setAdditive(false);
        this.log = new RateLimitedLog(this.logger, Duration.ofNanos(100), this.now::get);
    }

    @AfterEach
    void detach() {
        this.logger.detachAppender(this.appender);
    }

    @Test
    void theFirstWarningIsLoggedAtWarnAndTheRestOfTheIntervalAtDebug() {
        this.log.warn("problem {}", 1);
        this.now.addAndGet(99);
        this.log.warn("problem {}", 2);
        this.log.warn("problem {}", 3);

        assertThat(this.appender.list).extracting(ILoggingEvent::getLevel, ILoggingEvent::getFormattedMessage)
            .containsExactly(org.assertj.core.groups.Tuple.tuple(Level.WARN, "problem 1"),
                    org.assertj.core.groups.Tuple.tuple(Level.DEBUG, "problem 2"),
                    org.assertj.core.groups.Tuple.tuple(Level.DEBUG, "problem 3"));
    }

    @Test
    void theNextWarningAfterTheIntervalReportsHowManyWereSuppressed() {
        this.log.warn("problem {}", 1);
        this.log.warn("problem {}", 2);
        this.log.warn("problem {}", 3);
        this.now.addAndGet(100);
        this.log.warn("problem {}", 4);

        assertThat(warnings()).extracting(ILoggingEvent::getFormattedMessage)
            .containsExactly("problem 1", "problem 4 (2 similar messages were logged at DEBUG only)");
    }

    @Test
    void aTrailingThrowableKeepsItsStackTraceWhenTheSuppressedCountIsAppended() {
        this.log.warn("failure of {}", "a", new IllegalStateException("first"));
        this.log.warn("failure of {}", "b", new IllegalStateException("second"));
        this.now.addAndGet(100);
        this.log.warn("failure of {}", "c", new IllegalStateException("third"));

        List<ILoggingEvent> warnings = warnings();
        assertThat(warnings).hasSize(2);
        assertThat(warnings.get(1).getFormattedMessage())
            .isEqualTo("failure of c (1 similar messages were logged at DEBUG only)");
        assertThat(warnings.get(1).getThrowableProxy().getMessage()).isEqualTo("third");
    }

    @Test
    void anExcerptEscapesControlCharactersAndCutsLongText() {
        assertThat(RateLimitedLog.excerpt("a\u001b\nb")).isEqualTo("a\\u001b\\u000ab");
        assertThat(RateLimitedLog.excerpt("x".repeat(1000))).startsWith("x".repeat(80)).endsWith("(1000 chars)");
        assertThat(RateLimitedLog.excerpt(null, 10)).isEmpty();
    }

    private List<ILoggingEvent> warnings() {
        return this.appender.list.stream().filter((event) -> event.getLevel() == Level.WARN).toList();
    }
}
