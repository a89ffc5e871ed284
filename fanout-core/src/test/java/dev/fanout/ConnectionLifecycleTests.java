package dev.fanout;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.fanout.testing.InMemoryRawSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.entry;

class ConnectionLifecycleTests {

    private final List<String> calls = new CopyOnWriteArrayList<>();

    private final WebSocketServerEventTarget hub = WebSocketServerEventTarget.create(WebSocketServerOptions.builder()
        .backpressureThreshold(100)
        .onConnection((spoke, socket) -> this.calls.add("connected " + socket))
        .onDisconnection((spoke, socket) -> this.calls.add("disconnected " + socket))
        .build());

    private final InMemoryRawSocket socket = new InMemoryRawSocket("a");

    @Test
    void addConnectionSetsTheSocketsMessageAndCloseHandler() {
        SpokeEventTarget spoke = this.hub.addConnection(this.socket);

        assertThat(this.socket.listener()).isSameAs(spoke);
        this.socket.receiveText(Frames.subscribe("news"));
        assertThat(spoke.subscriptions()).containsExactly("news");
    }

    @Test
    void addConnectionCallsOnConnectionWithTheSpokeAndItsSocket() {
        List<SpokeEventTarget> spokes = new CopyOnWriteArrayList<>();
        WebSocketServerEventTarget hub = WebSocketServerEventTarget.create(WebSocketServerOptions.builder()
            .onConnection((spoke, socket) -> {
                assertThat(spoke.socket()).isSameAs(socket);
                spokes.add(spoke);
            })
            .build());

        SpokeEventTarget spoke = hub.addConnection(this.socket);

        assertThat(spokes).containsExactly(spoke);
        assertThat(spoke.socket()).isSameAs(this.socket);
        assertThat(spoke.isConnected()).isTrue();
    }

    @Test
    void addingAConnectedSocketAgainReturnsItsExistingSpoke() {
        SpokeEventTarget first = this.hub.addConnection(this.socket);

        SpokeEventTarget second = this.hub.addConnection(this.socket);

        assertThat(second).isSameAs(first);
        assertThat(this.hub.connectionCount()).isOne();
        assertThat(this.calls).containsExactly("connected " + this.socket);
    }

    @Test
    void addingAnAlreadyClosedSocketRemovesItAgainAtOnce() {
        this.socket.closeFromPeer(1000, "bye");

        SpokeEventTarget spoke = this.hub.addConnection(this.socket);

        assertThat(spoke.isConnected()).isFalse();
        assertThat(this.hub.connectionCount()).isZero();
        assertThat(this.socket.listener()).isNull();
        assertThat(this.calls).containsExactly("connected " + this.socket, "disconnected " + this.socket);
    }

    @Test
    void removeConnectionRemovesTheSocketFromEveryTopicAndDetachesItsHandlers() {
        SpokeEventTarget spoke = this.hub.addConnection(this.socket);
        this.socket.receiveText(Frames.subscribe("news"));
        this.socket.receiveText(Frames.subscribe("weather"));

        boolean removed = this.hub.removeConnection(this.socket);

        assertThat(removed).isTrue();
        assertThat(this.socket.listener()).isNull();
        assertThat(this.hub.topicSubscriberCounts()).isEmpty();
        assertThat(spoke.subscriptions()).isEmpty();
        assertThat(spoke.isConnected()).isFalse();
        this.hub.dispatchEvent(Event.of("news"));
        assertThat(this.socket.sentMessages()).isEmpty();
    }

    @Test
    void removeConnectionDoesNotCloseTheSocket() {
        this.hub.addConnection(this.socket);

        this.hub.removeConnection(this.socket);

        assertThat(this.socket.isOpen()).isTrue();
        assertThat(this.socket.closeCode()).isZero();
    }

    @Test
    void removeConnectionOfAnUnknownSocketIsANoOp() {
        this.hub.addConnection(this.socket);
        InMemoryRawSocket stranger = new InMemoryRawSocket("stranger");

        boolean removed = this.hub.removeConnection(stranger);

        assertThat(removed).isFalse();
        assertThat(this.hub.connectionCount()).isOne();
        assertThat(this.calls).containsExactly("connected " + this.socket);
    }

    @Test
    void removeConnectionOfAnAlreadyRemovedSocketIsANoOp() {
        this.hub.addConnection(this.socket);
        this.hub.removeConnection(this.socket);

        boolean removedAgain = this.hub.removeConnection(this.socket);

        assertThat(removedAgain).isFalse();
        assertThat(this.calls).containsExactly("connected " + this.socket, "disconnected " + this.socket);
    }

    @Test
    void removeConnectionRejectsNull() {
        assertThatNullPointerException().isThrownBy(() -> this.hub.removeConnection(null));
        assertThatNullPointerException().isThrownBy(() -> this.hub.addConnection(null));
    }

    @Test
    void theCloseHandlerRemovesTheConnectionByItself() {
        SpokeEventTarget spoke = this.hub.addConnection(this.socket);
        this.socket.receiveText(Frames.subscribe("news"));

        this.socket.closeFromPeer(1001, "going away");

        assertThat(spoke.isConnected()).isFalse();
        assertThat(this.hub.connectionCount()).isZero();
        assertThat(this.hub.topicSubscriberCounts()).isEmpty();
        assertThat(this.calls).containsExactly("connected " + this.socket, "disconnected " + this.socket);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("removalPaths")
    void onDisconnectionFiresExactlyOnceWhicheverPathRemovedTheConnection(String path,
            BiConsumer<WebSocketServerEventTarget, InMemoryRawSocket> removal) {
        SpokeEventTarget spoke = this.hub.addConnection(this.socket);
        this.socket.receiveText(Frames.subscribe("news"));

        removal.accept(this.hub, this.socket);
        removal.accept(this.hub, this.socket);

        assertThat(spoke.isConnected()).isFalse();
        assertThat(this.hub.connectionCount()).isZero();
        assertThat(this.calls).containsExactly("connected " + this.socket, "disconnected " + this.socket);
    }

    static Stream<Arguments> removalPaths() {
        BiConsumer<WebSocketServerEventTarget, InMemoryRawSocket> removeConnection = (hub, socket) -> hub
            .removeConnection(socket);
        BiConsumer<WebSocketServerEventTarget, InMemoryRawSocket> peerClose = (hub, socket) -> socket
            .closeFromPeer(1000, "");
        BiConsumer<WebSocketServerEventTarget, InMemoryRawSocket> serverClose = (hub, socket) -> socket.close(1000,
                "");
        BiConsumer<WebSocketServerEventTarget, InMemoryRawSocket> backpressure = (hub, socket) -> {
            socket.setBufferedAmount(1_000);
            hub.dispatchEvent(Event.of("news"));
        };
        BiConsumer<WebSocketServerEventTarget, InMemoryRawSocket> failingSend = (hub, socket) -> {
            socket.failSendsWith(new IllegalStateException("broken pipe"));
            hub.dispatchEvent(Event.of("news"));
        };
        return Stream.of(Arguments.of("removeConnection", removeConnection),
                Arguments.of("close by the peer", peerClose), Arguments.of("close by the server", serverClose),
                Arguments.of("backpressure", backpressure), Arguments.of("failing send", failingSend),
                Arguments.of("removeConnection, then close by the peer",
                        removeConnection.andThen(peerClose)),
                Arguments.of("close by the peer, then removeConnection", peerClose.andThen(removeConnection)),
                Arguments.of("backpressure, then removeConnection", backpressure.andThen(removeConnection)),
                Arguments.of("failing send, then close by the peer", failingSend.andThen(peerClose)));
    }

    @Test
    void aSocketClosedWhileOnConnectionRunsGetsOnDisconnectionOnlyAfterOnConnectionReturned() {
        List<String> calls = new CopyOnWriteArrayList<>();
        WebSocketServerEventTarget hub = WebSocketServerEventTarget.create(WebSocketServerOptions.builder()
            .onConnection((spoke, socket) -> {
                calls.add("onConnection started");
                ((InMemoryRawSocket) socket).closeFromPeer(1008, "rejected");
                calls.add("onConnection returns");
            })
            .onDisconnection((spoke, socket) -> calls.add("onDisconnection"))
            .build());

        SpokeEventTarget spoke = hub.addConnection(this.socket);

        assertThat(calls).containsExactly("onConnection started", "onConnection returns", "onDisconnection");
        assertThat(spoke.isConnected()).isFalse();
        assertThat(hub.connectionCount()).isZero();
    }

    @Test
    void aConnectionRemovedByItsOnConnectionCallbackGetsOnDisconnectionAfterIt() {
        List<String> calls = new CopyOnWriteArrayList<>();
        WebSocketServerEventTarget[] hubHolder = new WebSocketServerEventTarget[1];
        hubHolder[0] = WebSocketServerEventTarget.create(WebSocketServerOptions.builder()
            .onConnection((spoke, socket) -> {
                calls.add("removed: " + hubHolder[0].removeConnection(socket));
                calls.add("onConnection returns");
            })
            .onDisconnection((spoke, socket) -> calls.add("onDisconnection"))
            .build());

        hubHolder[0].addConnection(this.socket);

        assertThat(calls).containsExactly("removed: true", "onConnection returns", "onDisconnection");
        assertThat(this.socket.isOpen()).isTrue();
        assertThat(this.socket.listener()).isNull();
    }

    @Test
    void aRemovedSocketCanBeAddedAgainAsANewConnection() {
        SpokeEventTarget first = this.hub.addConnection(this.socket);
        this.socket.receiveText(Frames.subscribe("news"));
        this.hub.removeConnection(this.socket);

        SpokeEventTarget second = this.hub.addConnection(this.socket);

        assertThat(second).isNotSameAs(first);
        assertThat(second.isConnected()).isTrue();
        assertThat(second.subscriptions()).isEmpty();
        assertThat(this.socket.listener()).isSameAs(second);
        this.socket.receiveText(Frames.subscribe("weather"));
        assertThat(this.hub.topicSubscriberCounts()).containsExactly(entry("weather", 1));
        assertThat(first.subscriptions()).isEmpty();
    }

    @Test
    void messagesThatReachARemovedConnectionChangeNothing() {
        SpokeEventTarget spoke = this.hub.addConnection(this.socket);
        RawSocket.Listener staleHandler = this.socket.listener();
        List<Event> received = new CopyOnWriteArrayList<>();
        this.hub.addEventListener("chat", received::add);
        this.hub.removeConnection(this.socket);

        staleHandler.onText(Frames.subscribe("news"));
        staleHandler.onBinary(Frames.utf8(Frames.event("chat", "hello")));

        assertThat(spoke.subscriptions()).isEmpty();
        assertThat(this.hub.topicSubscriberCounts()).isEmpty();
        assertThat(received).isEmpty();
    }

    @Test
    void theSpokeOfARemovedConnectionSendsNothing() {
        SpokeEventTarget spoke = this.hub.addConnection(this.socket);
        this.hub.removeConnection(this.socket);

        boolean result = spoke.dispatchEvent(Event.of("direct"));

        assertThat(result).isTrue();
        assertThat(this.socket.sentMessages()).isEmpty();
    }
}
