package dev.fanout;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import org.junit.jupiter.api.Test;

import dev.fanout.testing.InMemoryRawSocket;

import static org.assertj.core.api.Assertions.assertThat;

class FailureIsolationTests {

    private final List<String> disconnections = new CopyOnWriteArrayList<>();

    private final WebSocketServerEventTarget hub = WebSocketServerEventTarget.create(WebSocketServerOptions.builder()
        .onDisconnection((spoke, socket) -> this.disconnections.add(socket.toString()))
        .build());

    private final InMemoryRawSocket broken = new InMemoryRawSocket("broken");

    private final InMemoryRawSocket healthy = new InMemoryRawSocket("healthy");

    @Test
    void aSendThatThrowsIsLoggedAndItsConnectionRemovedWhileTheOtherSubscribersStillGetTheEvent() {
        SpokeEventTarget brokenSpoke = connect(this.broken, "news");
        connect(this.healthy, "news");
        this.broken.failSendsWith(new IllegalStateException("buffer overflow"));

        boolean result;
        try (LogCapture log = LogCapture.ofHub()) {
            result = this.hub.dispatchEvent(Event.of("news", 1));

            assertThat(log.atLevel(Level.WARN)).singleElement().satisfies((line) -> {
                assertThat(line.getFormattedMessage()).contains("Send to", "broken", "failed");
                assertThat(line.getThrowableProxy().getMessage()).isEqualTo("buffer overflow");
            });
        }

        assertThat(result).isTrue();
        assertThat(brokenSpoke.isConnected()).isFalse();
        assertThat(this.disconnections).containsExactly(this.broken.toString());
        assertThat(this.healthy.sentMessages()).containsExactly("{\"type\":\"news\",\"payload\":1}");
        assertThat(this.hub.connections()).extracting(SpokeEventTarget::socket).containsExactly(this.healthy);
    }

    @Test
    void aSocketWhoseSendThrewIsClosedWith1011SoTheSpokeLearnsOfTheLoss() {
        connect(this.broken, "news");
        this.broken.failSendsWith(new IllegalStateException("cannot queue"));

        this.hub.dispatchEvent(Event.of("news"));

        assertThat(this.broken.isOpen()).isFalse();
        assertThat(this.broken.closeCode()).isEqualTo(CloseCodes.INTERNAL_ERROR);
    }

    @Test
    void aSendToASocketThatWasClosedMeanwhileRemovesItOnce() {
        connect(this.broken, "news");
        this.broken.setListener(null);
        this.broken.closeFromPeer(1006, "");

        this.hub.dispatchEvent(Event.of("news"));
        this.hub.dispatchEvent(Event.of("news"));

        assertThat(this.disconnections).containsExactly(this.broken.toString());
        assertThat(this.hub.connectionCount()).isZero();
    }

    @Test
    void aHubListenerThatThrowsDoesNotStopTheOtherListenersNorCloseTheConnection() {
        SpokeEventTarget spoke = connect(this.healthy);
        List<String> received = new CopyOnWriteArrayList<>();
        this.hub.addEventListener("chat", (event) -> {
            throw new IllegalStateException("listener bug");
        });
        this.hub.addEventListener("chat", (event) -> received.add("hub"));
        spoke.addEventListener("chat", (event) -> {
            throw new AssertionError("spoke listener bug");
        });
        spoke.addEventListener("chat", (event) -> received.add("spoke"));

        this.healthy.receiveText(Frames.event("chat", "one"));
        this.healthy.receiveText(Frames.event("chat", "two"));

        assertThat(received).containsExactlyInAnyOrder("hub", "spoke", "hub", "spoke");
        assertThat(this.healthy.isOpen()).isTrue();
        assertThat(spoke.isConnected()).isTrue();
        assertThat(this.disconnections).isEmpty();
    }

    @Test
    void aListenerThatThrowsIsLogged() {
        connect(this.healthy);
        this.hub.addEventListener("chat", (event) -> {
            throw new IllegalStateException("listener bug");
        });

        try (LogCapture log = LogCapture.ofHub()) {
            this.healthy.receiveText(Frames.event("chat", "one"));

            assertThat(log.atLevel(Level.WARN)).singleElement()
                .satisfies((line) -> assertThat(line.getThrowableProxy().getMessage()).isEqualTo("listener bug"));
        }
    }

    @Test
    void anOnConnectionCallbackThatThrowsLeavesTheConnectionWorking() {
        WebSocketServerEventTarget hub = WebSocketServerEventTarget.create(WebSocketServerOptions.builder()
            .onConnection((spoke, socket) -> {
                throw new IllegalStateException("callback bug");
            })
            .build());

        SpokeEventTarget spoke = hub.addConnection(this.healthy);
        this.healthy.receiveText(Frames.subscribe("news"));
        hub.dispatchEvent(Event.of("news"));

        assertThat(spoke.isConnected()).isTrue();
        assertThat(this.healthy.isOpen()).isTrue();
        assertThat(this.healthy.sentMessages()).hasSize(1);
    }

    @Test
    void anOnDisconnectionCallbackThatThrowsStillLeavesTheConnectionRemoved() {
        AtomicInteger calls = new AtomicInteger();
        WebSocketServerEventTarget hub = WebSocketServerEventTarget.create(WebSocketServerOptions.builder()
            .onDisconnection((spoke, socket) -> {
                calls.incrementAndGet();
                throw new IllegalStateException("callback bug");
            })
            .build());
        hub.addConnection(this.healthy);
        this.healthy.receiveText(Frames.subscribe("news"));

        this.healthy.closeFromPeer(1000, "");

        assertThat(calls).hasValue(1);
        assertThat(hub.connectionCount()).isZero();
        assertThat(hub.topicSubscriberCounts()).isEmpty();
    }

    @Test
    void aListenerThatDispatchesFromInsideItsCallbackWorks() {
        SpokeEventTarget spoke = connect(this.healthy, "echo");
        spoke.addEventListener("ping", (event) -> spoke.dispatchEvent(Event.of("pong", event.id(), null)));
        this.hub.addEventListener("ping", (event) -> this.hub.dispatchEvent(Event.of("echo", event.payload())));

        this.healthy.receiveText(Frames.event("ping", "p1", "hi"));

        assertThat(this.healthy.sentMessages()).containsExactlyInAnyOrder("{\"type\":\"pong\",\"id\":\"p1\"}",
                "{\"type\":\"echo\",\"payload\":\"hi\"}");
    }

    private SpokeEventTarget connect(InMemoryRawSocket socket, String... topics) {
        SpokeEventTarget spoke = this.hub.addConnection(socket);
        for (String topic : topics) {
            socket.receiveText(Frames.subscribe(topic));
        }
        return spoke;
    }
}
