package dev.fanout.spring.endtoend;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.fanout.Event;
import dev.fanout.WebSocketServerEventTarget;
import dev.fanout.testing.TestSpoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The container the end-to-end suite runs on: Tomcat in the build's default test run, Jetty 12 in its second run
 * (system property {@value #CONTAINER_PROPERTY}{@code =jetty}, Tomcat left off the class path), so that a second run
 * that silently fell back to Tomcat fails here.
 */
@ExtendWith(OutputCaptureExtension.class)
class FanoutContainerTests {

    /** The system property the build sets to the container the suite must run on. */
    static final String CONTAINER_PROPERTY = "fanout.test.container";

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void theHubRunsOnTheContainerTheBuildNamesWithoutAWarningAndServesASpoke(CapturedOutput output) {
        String container = System.getProperty(CONTAINER_PROPERTY, "tomcat");
        String expectedServer = container.equals("jetty") ? "org.springframework.boot.jetty.JettyWebServer"
                : "org.springframework.boot.tomcat.TomcatWebServer";
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(FanoutTestApplication.class)
            .properties("server.port=0", "spring.main.banner-mode=off")
            .run()) {
            WebServer server = ((WebServerApplicationContext) context).getWebServer();
            assertThat(typeNames(server.getClass())).contains(expectedServer);
            assertThat(output).contains("fanout hub mounted at /fanout").doesNotContain("does not support");
            WebSocketServerEventTarget hub = context.getBean(WebSocketServerEventTarget.class);
            try (TestSpoke spoke = TestSpoke.connect(URI.create("ws://localhost:" + server.getPort() + "/fanout"))) {
                spoke.subscribe("container");
                await().atMost(WAIT).until(() -> hub.topicSubscriberCounts().getOrDefault("container", 0) == 1);
                hub.dispatchEvent(Event.of("container", container));
                assertThat(spoke.awaitEvent("container").get("payload").asString()).isEqualTo(container);
                assertThat(spoke.isOpen()).isTrue();
            }
        }
    }

    private static List<String> typeNames(Class<?> type) {
        List<String> names = new ArrayList<>();
        for (Class<?> current = type; current != null; current = current.getSuperclass()) {
            names.add(current.getName());
        }
        return names;
    }
}
