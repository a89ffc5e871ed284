package dev.fanout.spring.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.web.context.reactive.ConfigurableReactiveWebEnvironment;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.web.context.ConfigurableWebEnvironment;

import dev.fanout.WebSocketServerEventTarget;

/**
 * Explains a start-up that failed because a fanout bean (the hub, {@link WebSocketServerEventTarget}, or another
 * {@code dev.fanout} type) is missing: which stack the application runs on, why the starter did not configure the hub
 * there, and what to do. Runs before Boot's generic "required a bean … that could not be found" analysis.
 */
final class FanoutUnsupportedStackFailureAnalyzer extends AbstractFailureAnalyzer<NoSuchBeanDefinitionException>
        implements Ordered {

    private final Environment environment;

    FanoutUnsupportedStackFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    protected @Nullable FailureAnalysis analyze(Throwable rootFailure, NoSuchBeanDefinitionException cause) {
        Class<?> missing = cause.getBeanType();
        if (missing == null || !missing.getName().startsWith("dev.fanout.")) {
            return null;
        }
        String needed = "A bean of type '" + missing.getName() + "' is required, but the fanout starter did not "
                + "configure its hub: ";
        if (this.environment instanceof ConfigurableReactiveWebEnvironment) {
            return new FailureAnalysis(needed + "this is a reactive (WebFlux) web application, and fanout runs only "
                    + "in a servlet web application (Spring MVC with Spring WebSocket, on Tomcat).",
                    "Run the application as a servlet web application: depend on spring-boot-starter-webmvc "
                            + "instead of spring-boot-starter-webflux, or set "
                            + "spring.main.web-application-type=servlet. WebFlux is not supported yet.",
                    cause);
        }
        if (!(this.environment instanceof ConfigurableWebEnvironment)) {
            return new FailureAnalysis(needed + "this is not a web application, and the hub needs a servlet web "
                    + "server to accept WebSocket connections.",
                    "Add spring-boot-starter-webmvc (the fanout starter brings Spring WebSocket), and do not set "
                            + "spring.main.web-application-type=none.",
                    cause);
        }
        if (!this.environment.getProperty("fanout.enabled", Boolean.class, true)) {
            return new FailureAnalysis(needed + "fanout.enabled is false.",
                    "Set fanout.enabled=true, or define the beans you inject yourself.", cause);
        }
        return new FailureAnalysis(needed + "the servlet WebSocket API (jakarta.websocket) or Spring WebSocket is "
                + "missing from the classpath.",
                "Keep spring-boot-starter-websocket (which the fanout starter brings) and a servlet container with "
                        + "WebSocket support, Tomcat, on the classpath; re-run with --debug to see the conditions of "
                        + "FanoutAutoConfiguration.",
                cause);
    }

    /**
     * Runs first, before Boot's generic analysis of a missing bean.
     *
     * @return {@link Ordered#HIGHEST_PRECEDENCE}
     */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
