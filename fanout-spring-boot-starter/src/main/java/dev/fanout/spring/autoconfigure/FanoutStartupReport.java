package dev.fanout.spring.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;

import dev.fanout.WebSocketServerOptions;

/**
 * Says at start-up, in one INFO line, where the hub is mounted and with which limits; and warns when the web server is
 * one the starter does not support yet, where every connection would fail.
 */
final class FanoutStartupReport implements ApplicationListener<WebServerInitializedEvent> {

    private static final Logger logger = LoggerFactory.getLogger(FanoutStartupReport.class);

    /** The web servers whose WebSocket support the starter runs on. */
    private static final Set<String> SUPPORTED_SERVERS = Set.of("org.springframework.boot.tomcat.TomcatWebServer");

    private final FanoutProperties properties;

    private final WebSocketServerOptions options;

    FanoutStartupReport(FanoutProperties properties, WebSocketServerOptions options) {
        this.properties = properties;
        this.options = options;
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        report(event.getWebServer());
    }

    void report(WebServer server) {
        if (!isSupported(server.getClass())) {
            logger.warn("fanout does not support the web server {} yet: WebSocket connections to {} will fail. Run "
                    + "the application on Tomcat (spring-boot-starter-tomcat, the default of "
                    + "spring-boot-starter-webmvc).", server.getClass().getName(), this.properties.getPath());
        }
        FanoutProperties.Heartbeat heartbeat = this.properties.getHeartbeat();
        logger.info("fanout hub mounted at {} on port {}: max-message-size={}, backpressure.threshold={}, "
                + "send-stall-timeout={}, heartbeat.interval={}, heartbeat.timeout={}, max-topic-length={}, "
                + "max-subscriptions-per-connection={}, allowed origins: {}", this.properties.getPath(),
                server.getPort(), size(this.properties.getMaxMessageSize().toBytes()),
                size(this.options.backpressureThreshold()), duration(this.properties.getSendStallTimeout()),
                duration(heartbeat.getInterval()), duration(heartbeat.getTimeout()), this.options.maxTopicLength(),
                this.options.maxSubscriptionsPerConnection(), origins());
    }

    private static String size(long bytes) {
        if (bytes % (1024 * 1024) == 0) {
            return (bytes / (1024 * 1024)) + "MB";
        }
        return (bytes % 1024 == 0) ? (bytes / 1024) + "KB" : bytes + "B";
    }

    private static String duration(Duration duration) {
        long millis = duration.toMillis();
        return (millis % 1000 == 0) ? (millis / 1000) + "s" : millis + "ms";
    }

    private String origins() {
        List<String> origins = this.properties.getAllowedOrigins();
        List<String> patterns = this.properties.getAllowedOriginPatterns();
        if (origins.isEmpty() && patterns.isEmpty()) {
            return "same origin only";
        }
        return String.join(", ", origins) + (patterns.isEmpty() ? "" : " patterns " + String.join(", ", patterns));
    }

    private static boolean isSupported(Class<?> serverType) {
        for (Class<?> type = serverType; type != null; type = type.getSuperclass()) {
            if (SUPPORTED_SERVERS.contains(type.getName())) {
                return true;
            }
        }
        return false;
    }
}
