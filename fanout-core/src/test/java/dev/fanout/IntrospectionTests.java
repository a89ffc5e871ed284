package dev.fanout;

import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.fanout.testing.InMemoryRawSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.entry;

class IntrospectionTests {

    private final WebSocketServerEventTarget hub = WebSocketServerEventTarget.create();

    private final List<InMemoryRawSocket> sockets = IntStream.range(0, 4)
        .mapToObj((n) -> new InMemoryRawSocket("spoke-" + n))
        .toList();

    @Test
    void aNewHubHasNoConnectionsAndNoTopics() {
        assertThat(this.hub.connectionCount()).isZero();
        assertThat(this.hub.connections()).isEmpty();
        assertThat(this.hub.topicSubscriberCounts()).isEmpty();
    }

    @Test
    void connectionCountAndConnectionsReflectTheConnectedSockets() {
        this.sockets.forEach(this.hub::addConnection);
        this.hub.removeConnection(this.sockets.get(1));

        assertThat(this.hub.connectionCount()).isEqualTo(3);
        assertThat(this.hub.connections()).extracting(SpokeEventTarget::socket)
            .containsExactlyInAnyOrder(this.sockets.get(0), this.sockets.get(2), this.sockets.get(3));
    }

    @Test
    void topicSubscriberCountsCountsTheSubscribersOfEachTopicSortedByTopic() {
        this.sockets.forEach(this.hub::addConnection);
        this.sockets.get(0).receiveText(Frames.subscribe("weather"));
        this.sockets.get(1).receiveText(Frames.subscribe("weather"));
        this.sockets.get(1).receiveText(Frames.subscribe("alerts"));
        this.sockets.get(2).receiveText(Frames.subscribe("news"));
        this.sockets.get(2).receiveText(Frames.unsubscribe("news"));

        assertThat(this.hub.topicSubscriberCounts()).containsExactly(entry("alerts", 1), entry("weather", 2));
    }

    @Test
    void aSpokeReportsItsSubscriptions() {
        SpokeEventTarget spoke = this.hub.addConnection(this.sockets.get(0));
        this.sockets.get(0).receiveText(Frames.subscribe("a"));
        this.sockets.get(0).receiveText(Frames.subscribe("b"));

        assertThat(spoke.subscriptions()).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void introspectionReturnsImmutableSnapshots() {
        SpokeEventTarget spoke = this.hub.addConnection(this.sockets.get(0));
        this.sockets.get(0).receiveText(Frames.subscribe("a"));

        List<SpokeEventTarget> connections = this.hub.connections();
        var counts = this.hub.topicSubscriberCounts();
        var subscriptions = spoke.subscriptions();
        this.hub.removeConnection(this.sockets.get(0));

        assertThat(connections).hasSize(1);
        assertThat(counts).containsExactly(entry("a", 1));
        assertThat(subscriptions).containsExactly("a");
        assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(connections::clear);
        assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(counts::clear);
        assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(subscriptions::clear);
    }

    @Test
    void theTopicMapIsEmptyAfterAllSocketsLeaveWhicheverWayTheyLeft() {
        this.sockets.forEach(this.hub::addConnection);
        this.sockets.forEach((socket) -> {
            socket.receiveText(Frames.subscribe("shared"));
            socket.receiveText(Frames.subscribe("own-" + socket));
        });

        this.sockets.get(0).closeFromPeer(1000, "");
        this.sockets.get(1).close(1000, "");
        this.hub.removeConnection(this.sockets.get(2));
        this.sockets.get(3).receiveText(Frames.unsubscribe("shared"));
        this.sockets.get(3).setBufferedAmount(Long.MAX_VALUE);
        this.hub.dispatchEvent(Event.of("own-" + this.sockets.get(3)));

        assertThat(this.hub.connectionCount()).isZero();
        assertThat(this.hub.connections()).isEmpty();
        assertThat(this.hub.topicSubscriberCounts()).isEmpty();
    }
}
