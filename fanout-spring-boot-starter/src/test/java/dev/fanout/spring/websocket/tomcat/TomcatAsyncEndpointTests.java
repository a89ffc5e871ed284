package dev.fanout.spring.websocket.tomcat;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.web.socket.WebSocketSession;

import dev.fanout.spring.websocket.AsyncEndpoint.Completion;

import static org.assertj.core.api.Assertions.assertThat;

class TomcatAsyncEndpointTests {

    private final List<SendHandler> handlers = new CopyOnWriteArrayList<>();

    private final List<@Nullable Throwable> outcomes = new CopyOnWriteArrayList<>();

    private final TomcatAsyncEndpoint endpoint = new TomcatAsyncEndpoint(fake(WebSocketSession.class, Map.of()),
            fakeSession(), Duration.ofSeconds(5));

    @Test
    void sendsWithTheLoopsOneCompletionReuseOneHandlerInsteadOfAllocatingOnePerSend() {
        Completion completion = this.outcomes::add;
        this.endpoint.sendText("a", completion);
        this.endpoint.sendText("b", completion);
        this.endpoint.sendText("c", completion);
        assertThat(this.handlers).hasSize(3);
        assertThat(this.handlers.get(1)).isSameAs(this.handlers.get(0));
        assertThat(this.handlers.get(2)).isSameAs(this.handlers.get(0));
    }

    @Test
    void sendWithAnotherCompletionGetsAHandlerThatTellsThatCompletion() {
        List<@Nullable Throwable> other = new CopyOnWriteArrayList<>();
        this.endpoint.sendText("a", this.outcomes::add);
        this.endpoint.sendText("b", other::add);
        assertThat(this.handlers.get(1)).isNotSameAs(this.handlers.get(0));
        IOException failure = new IOException("reset");
        this.handlers.get(1).onResult(new SendResult(null, failure));
        assertThat(other).containsExactly(failure);
        assertThat(this.outcomes).isEmpty();
    }

    @Test
    void handlerTellsTheCompletionNullForASuccessAndTheExceptionForAFailure() {
        this.endpoint.sendText("a", this.outcomes::add);
        IOException failure = new IOException("broken pipe");
        this.handlers.get(0).onResult(new SendResult((Session) null));
        this.handlers.get(0).onResult(new SendResult(null, failure));
        assertThat(this.outcomes).containsExactly(null, failure);
    }

    private Session fakeSession() {
        RemoteEndpoint.Async remote = fake(RemoteEndpoint.Async.class, Map.of("sendText", (args) -> {
            if (args.length == 2 && args[1] instanceof SendHandler handler) {
                this.handlers.add(handler);
            }
            return null;
        }));
        Map<String, Object> userProperties = new HashMap<>();
        return fake(Session.class, Map.of("getAsyncRemote", (args) -> remote, "getUserProperties",
                (args) -> userProperties));
    }

    /** A fake of an interface: the named methods answer as given, every other returns null or does nothing. */
    private static <T> T fake(Class<T> type, Map<String, Answer> answers) {
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type },
                (self, method, args) -> {
                    Answer answer = answers.get(method.getName());
                    return (answer != null) ? answer.apply((args != null) ? args : new Object[0]) : null;
                });
        return type.cast(proxy);
    }

    @FunctionalInterface
    private interface Answer {

        @Nullable Object apply(Object[] args);
    }
}
