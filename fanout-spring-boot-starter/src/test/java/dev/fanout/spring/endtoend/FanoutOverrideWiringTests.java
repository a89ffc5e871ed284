package dev.fanout.spring.endtoend;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.fanout.Event;
import dev.fanout.WebSocketServerEventTarget;
import dev.fanout.WebSocketServerOptions;
import dev.fanout.spring.endtoend.FanoutTestApplication.ChatListener;
import dev.fanout.spring.endtoend.FanoutTestApplication.SpokeEventRecorder;
import dev.fanout.spring.event.SpokeBackpressureEvent;
import dev.fanout.spring.event.SpokeConnectedEvent;
import dev.fanout.spring.event.SpokeDisconnectedEvent;
import dev.fanout.testing.TestSpoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The wiring survives the overrides the README invites: with the application's own {@link WebSocketServerOptions}
 * bean, its own hub bean, or both, {@code @FanoutListener} methods are still called, and connects, disconnects and
 * slow-consumer closes are still published as application events. Each case runs the test application over a real
 * Tomcat with the hub's send buffer shrunk (as in {@link FanoutBackpressureTests}) and a 64 KiB threshold set by the
 * override itself; the stall timeout is long, so a 1013 can only come from the hub's threshold.
 */
class FanoutOverrideWiringTests {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static final int THRESHOLD = 64 * 1024;

    private static final String FILLER = "x".repeat(12 * 1024);

    @ParameterizedTest(name = "{0}")
    @ValueSource(classes = { UserOptions.class, UserHub.class, UserHubAndOptions.class })
    void listenerMethodsAndApplicationEventsSurviveAUserDefinedOptionsOrHubBean(Class<?> override) {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(FanoutTestApplication.class,
                FanoutBackpressureTests.SmallSendBuffer.class, override)
            .properties("server.port=0", "spring.main.banner-mode=off", "fanout.send-stall-timeout=60s")
            .run()) {
            WebSocketServerEventTarget hub = context.getBean(WebSocketServerEventTarget.class);
            SpokeEventRecorder recorder = context.getBean(SpokeEventRecorder.class);
            TestSpokes spokes = new TestSpokes(hub, ((WebServerApplicationContext) context).getWebServer().getPort(),
                    WAIT);
            try {
                TestSpoke chatting = spokes.connect("chatting");
                chatting.sendText("{\"type\":\"chat\",\"id\":\"c1\",\"payload\":{\"text\":\"hi\"}}");
                await().atMost(WAIT).until(() -> chatting.messages().size() == 1);
                assertThat(chatting.messages()).containsExactly("{\"type\":\"chat-ack\",\"id\":\"c1\",\"payload\":\"HI\"}");
                assertThat(context.getBean(ChatListener.class).received).singleElement()
                    .satisfies((received) -> assertThat(received.sender().socket()).isNotNull());
                assertThat(recorder.of(SpokeConnectedEvent.class, "chatting")).hasSize(1);
                chatting.close();
                await().atMost(WAIT).until(() -> recorder.of(SpokeDisconnectedEvent.class, "chatting").size() == 1);
                assertThat(recorder.of(SpokeDisconnectedEvent.class, "chatting").get(0).getCloseStatus().getCode())
                    .isEqualTo(1000);

                TestSpoke slow = spokes.connect("slow");
                slow.subscribe("flood");
                spokes.awaitSubscribers("flood", 1);
                slow.stopReading();
                for (int seq = 0; seq < 2000 && hub.connectionCount() > 0; seq++) {
                    hub.dispatchEvent(Event.of("flood", String.valueOf(seq), FILLER));
                }
                await().atMost(WAIT).until(() -> recorder.of(SpokeDisconnectedEvent.class, "slow").size() == 1);
                assertThat(recorder.of(SpokeBackpressureEvent.class, "slow")).singleElement()
                    .satisfies((event) -> assertThat(event.getBufferedAmount()).as("over the override's threshold, "
                            + "under the default one").isGreaterThan(THRESHOLD).isLessThan(1024 * 1024));
                assertThat(recorder.of(SpokeDisconnectedEvent.class, "slow").get(0).getCloseStatus().getCode())
                    .isEqualTo(1013);
            }
            finally {
                spokes.closeAll();
            }
        }
    }

    private static WebSocketServerOptions smallThreshold() {
        return WebSocketServerOptions.builder().backpressureThreshold(THRESHOLD).build();
    }

    @Configuration(proxyBeanMethods = false)
    static class UserOptions {

        @Bean
        WebSocketServerOptions userOptions() {
            return smallThreshold();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserHub {

        @Bean
        WebSocketServerEventTarget userHub() {
            return WebSocketServerEventTarget.create(smallThreshold());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserHubAndOptions {

        @Bean
        WebSocketServerOptions userOptions() {
            return WebSocketServerOptions.builder().backpressureThreshold(THRESHOLD).maxTopicLength(64).build();
        }

        @Bean
        WebSocketServerEventTarget userHub(WebSocketServerOptions options) {
            return WebSocketServerEventTarget.create(options);
        }
    }
}
