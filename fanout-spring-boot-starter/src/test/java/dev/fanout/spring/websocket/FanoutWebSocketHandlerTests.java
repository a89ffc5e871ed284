package dev.fanout.spring.websocket;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;

import dev.fanout.WebSocketServerEventTarget;
import dev.fanout.spring.event.SpokeEventPublisher;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class FanoutWebSocketHandlerTests {

    private final SessionSupervisor supervisor = new SessionSupervisor(
            new SocketSettings(Duration.ofSeconds(10), Duration.ofSeconds(25), Duration.ofSeconds(60), 64 * 1024));

    private final WebSocketServerEventTarget hub = WebSocketServerEventTarget.create();

    private final List<Object> publishedEvents = new CopyOnWriteArrayList<>();

    private final FanoutWebSocketHandler handler = new FanoutWebSocketHandler(this.hub, this.supervisor,
            (spoke, socket, bufferedAmount) -> {
            }, new SpokeEventPublisher(this.publishedEvents::add));

    @AfterEach
    void stopSupervisor() {
        this.supervisor.close();
    }

    @Test
    void sessionsOfAnUnsupportedContainerAreClosedWith1011AndOnlyTheFirstIsWarnedAboutNamingTheSupportedOnes(
            CapturedOutput output) {
        List<CloseStatus> closes = new CopyOnWriteArrayList<>();

        this.handler.afterConnectionEstablished(unsupportedSession("one", closes));
        this.handler.afterConnectionEstablished(unsupportedSession("two", closes));

        assertThat(closes).extracting(CloseStatus::getCode).containsExactly(1011, 1011);
        assertThat(this.hub.connectionCount()).isZero();
        assertThat(this.publishedEvents).isEmpty();
        assertThat(output.getOut().lines().filter((line) -> line.contains(" WARN ")))
            .singleElement(InstanceOfAssertFactories.STRING)
            .contains("fanout supports Tomcat (spring-boot-starter-tomcat) and Jetty 12 (spring-boot-starter-jetty)")
            .contains("closed with 1011");
        assertThat(output).doesNotContain("\tat ");
    }

    /** A session of no container the starter knows: only the methods the handler may call answer. */
    private static WebSocketSession unsupportedSession(String id, List<CloseStatus> closes) {
        Map<String, Object> attributes = new ConcurrentHashMap<>();
        return (WebSocketSession) Proxy.newProxyInstance(FanoutWebSocketHandlerTests.class.getClassLoader(),
                new Class<?>[] { WebSocketSession.class }, (proxy, method, args) -> switch (method.getName()) {
                    case "getId" -> id;
                    case "getAttributes" -> attributes;
                    case "isOpen" -> closes.isEmpty();
                    case "close" -> {
                        closes.add((args != null && args.length == 1) ? (CloseStatus) args[0] : CloseStatus.NORMAL);
                        yield null;
                    }
                    case "toString" -> "unsupported session " + id;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
