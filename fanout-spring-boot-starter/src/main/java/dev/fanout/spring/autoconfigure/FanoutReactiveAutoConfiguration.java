package dev.fanout.spring.autoconfigure;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;

import dev.fanout.WebSocketServerEventTarget;

/**
 * What the starter does in a reactive (WebFlux) web application, which it does not support: no hub, and one WARN once
 * the application has started, so that an app whose code never injects the hub (only {@code @FanoutListener}
 * methods, say) does not run without a word. An app that injects the hub fails to start instead, explained by
 * {@link FanoutUnsupportedStackFailureAnalyzer}.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass(WebSocketServerEventTarget.class)
@ConditionalOnBooleanProperty(name = "fanout.enabled", matchIfMissing = true)
public final class FanoutReactiveAutoConfiguration {

    private static final Logger logger = LoggerFactory.getLogger(FanoutReactiveAutoConfiguration.class);

    @EventListener(ApplicationReadyEvent.class)
    void warnThatReactiveApplicationsAreNotSupported() {
        logger.warn("fanout does not support reactive (WebFlux) web applications: no hub is "
                + "configured and no WebSocket endpoint is served. Run the application as a servlet web application "
                + "(spring-boot-starter-webmvc, or spring.main.web-application-type=servlet), or set "
                + "fanout.enabled=false to silence this warning.");
    }
}
