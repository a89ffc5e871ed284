package dev.fanout.spring.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import dev.fanout.WebSocketServerOptions;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class FanoutStartupReportTests {

    @Test
    void startUpOnTomcatLogsOneInfoLineWithTheMountPointAndTheLimitsAndNoWarning(CapturedOutput output) {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ReportedApplication.class)
            .properties("server.port=0", "spring.main.banner-mode=off", "fanout.path=/hub",
                    "fanout.max-message-size=128KB",
                    "fanout.backpressure.threshold=2MB", "fanout.allowed-origins=https://app.example.com")
            .run()) {
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            assertThat(output).containsOnlyOnce("fanout hub mounted at /hub on port " + port + ": ")
                .contains("max-message-size=128KB", "backpressure.threshold=2MB", "send-stall-timeout=10s",
                        "heartbeat.interval=25s", "heartbeat.timeout=60s", "max-topic-length=256",
                        "max-subscriptions-per-connection=1024", "allowed origins: https://app.example.com")
                .doesNotContain("does not support the web server");
        }
    }

    @Test
    void aWebServerOtherThanTomcatGetsAWarningThatConnectionsWillFail(CapturedOutput output) {
        FanoutProperties properties = new FanoutProperties();
        new FanoutStartupReport(properties, WebSocketServerOptions.ofDefaults()).report(new OtherWebServer());

        assertThat(output).contains("fanout does not support the web server " + OtherWebServer.class.getName())
            .contains("WebSocket connections to /fanout will fail")
            .contains("allowed origins: same origin only");
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class ReportedApplication {
    }

    /** A web server of a container the starter does not know. */
    static final class OtherWebServer implements WebServer {

        @Override
        public void start() {
        }

        @Override
        public void stop() {
        }

        @Override
        public int getPort() {
            return 8080;
        }
    }
}
