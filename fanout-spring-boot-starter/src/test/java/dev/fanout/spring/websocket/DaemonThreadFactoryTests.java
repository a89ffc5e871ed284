package dev.fanout.spring.websocket;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 8, item 2: a thread of fanout's pools that dies logs why at WARN instead of leaving it on stderr.
 */
class DaemonThreadFactoryTests {

    private final Logger factoryLogger = (Logger) LoggerFactory.getLogger(DaemonThreadFactory.class);

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeEach
    void captureLog() {
        this.log.start();
        this.factoryLogger.addAppender(this.log);
    }

    @AfterEach
    void releaseLog() {
        this.factoryLogger.detachAppender(this.log);
    }

    @Test
    void threadsAreNamedDaemonsWithAnUncaughtExceptionHandlerOfTheirOwn() {
        DaemonThreadFactory factory = new DaemonThreadFactory("fanout-test");

        Thread first = factory.newThread(() -> { });
        Thread second = factory.newThread(() -> { });

        assertThat(first.getName()).isEqualTo("fanout-test-1");
        assertThat(second.getName()).isEqualTo("fanout-test-2");
        assertThat(first.isDaemon()).isTrue();
        assertThat(first.getUncaughtExceptionHandler()).isNotSameAs(first.getThreadGroup());
    }

    @Test
    void aTaskThatThrowsOnAPoolThreadIsLoggedAtWarnWithItsCause() throws InterruptedException {
        ExecutorService pool = new ThreadPoolExecutor(1, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                new DaemonThreadFactory("fanout-test"));
        try {
            pool.execute(() -> {
                throw new IllegalStateException("session closed");
            });

            await().atMost(java.time.Duration.ofSeconds(10)).until(() -> !this.log.list.isEmpty());
            assertThat(this.log.list).singleElement().satisfies((line) -> {
                assertThat(line.getLevel()).isEqualTo(Level.WARN);
                assertThat(line.getFormattedMessage()).contains("fanout-test-1", "uncaught exception");
                assertThat(line.getThrowableProxy().getMessage()).isEqualTo("session closed");
            });
        }
        finally {
            pool.shutdownNow();
            pool.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
