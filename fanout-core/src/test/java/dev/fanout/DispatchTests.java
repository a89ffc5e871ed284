package dev.fanout;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import com.fasterxml.jackson.annotation.JsonValue;
import org.junit.jupiter.api.Test;

import dev.fanout.testing.InMemoryRawSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class DispatchTests {

    private final WebSocketServerEventTarget hub = WebSocketServerEventTarget.create();

    private final InMemoryRawSocket alice = new InMemoryRawSocket("alice");

    private final InMemoryRawSocket bob = new InMemoryRawSocket("bob");

    private final InMemoryRawSocket carol = new InMemoryRawSocket("carol");

    @Test
    void dispatchEventSendsOnlyToTheConnectionsSubscribedToTheEventType() {
        connect(this.alice, "news");
        connect(this.bob, "news", "weather");
        connect(this.carol, "weather");

        this.hub.dispatchEvent(Event.of("news", Map.of("headline", "hi")));

        assertThat(this.alice.sentMessages()).containsExactly("{\"type\":\"news\",\"payload\":{\"headline\":\"hi\"}}");
        assertThat(this.bob.sentMessages()).containsExactly("{\"type\":\"news\",\"payload\":{\"headline\":\"hi\"}}");
        assertThat(this.carol.sentMessages()).isEmpty();
    }

    @Test
    void dispatchedEventsGoOutAsTheWireEnvelopeWithTypeIdAndPayload() {
        connect(this.alice, "news");

        this.hub.dispatchEvent(Event.of("news"));
        this.hub.dispatchEvent(Event.of("news", "42", List.of(1, "two", true)));
        this.hub.dispatchEvent(Event.of("news", "7", null));

        assertThat(this.alice.sentMessages()).containsExactly("{\"type\":\"news\"}",
                "{\"type\":\"news\",\"id\":\"42\",\"payload\":[1,\"two\",true]}", "{\"type\":\"news\",\"id\":\"7\"}");
    }

    @Test
    void eventsReachEachSpokeInTheOrderTheHubDispatchedThem() {
        connect(this.alice, "counter");

        IntStream.range(0, 100).forEach((n) -> this.hub.dispatchEvent(Event.of("counter", n)));

        assertThat(this.alice.sentMessages()).extracting((frame) -> Frames.parse(frame).get("payload").intValue())
            .containsExactlyElementsOf(IntStream.range(0, 100).boxed().toList());
    }

    @Test
    void hubListenersReceiveTheNonControlEventsOfAllSpokes() {
        List<Event> received = new CopyOnWriteArrayList<>();
        this.hub.addEventListener("chat", received::add);
        connect(this.alice);
        connect(this.bob);

        this.alice.receiveText(Frames.event("chat", "m1", "from alice"));
        this.bob.receiveText(Frames.event("chat", "from bob"));
        this.bob.receiveText(Frames.event("other", "not for this listener"));

        assertThat(received).extracting(Event::type, Event::id, (event) -> event.payloadAs(String.class))
            .containsExactly(org.assertj.core.groups.Tuple.tuple("chat", "m1", "from alice"),
                    org.assertj.core.groups.Tuple.tuple("chat", null, "from bob"));
    }

    @Test
    void hubListenersDoNotReceiveControlEvents() {
        List<Event> received = new CopyOnWriteArrayList<>();
        this.hub.addEventListener("__subscribe", received::add);
        this.hub.addEventListener("__unsubscribe", received::add);
        connect(this.alice, "news");

        this.alice.receiveText(Frames.unsubscribe("news"));

        assertThat(received).isEmpty();
    }

    @Test
    void theHubsOwnDispatchDoesNotLoopBackToItsListeners() {
        List<Event> received = new CopyOnWriteArrayList<>();
        this.hub.addEventListener("news", received::add);
        connect(this.alice, "news");

        this.hub.dispatchEvent(Event.of("news", "x"));

        assertThat(received).isEmpty();
        assertThat(this.alice.sentMessages()).hasSize(1);
    }

    @Test
    void removedHubListenersReceiveNothingMore() {
        List<Event> viaHandle = new CopyOnWriteArrayList<>();
        List<Event> viaRemove = new CopyOnWriteArrayList<>();
        EventListener byIdentity = viaRemove::add;
        ListenerRegistration registration = this.hub.addEventListener("chat", viaHandle::add);
        this.hub.addEventListener("chat", byIdentity);
        connect(this.alice);

        registration.remove();
        boolean removed = this.hub.removeEventListener("chat", byIdentity);
        this.alice.receiveText(Frames.event("chat", "hello"));

        assertThat(removed).isTrue();
        assertThat(this.hub.removeEventListener("chat", byIdentity)).isFalse();
        assertThat(viaHandle).isEmpty();
        assertThat(viaRemove).isEmpty();
    }

    @Test
    void aListenerRegisteredTwiceForOneTypeIsCalledOnce() {
        List<Event> received = new CopyOnWriteArrayList<>();
        EventListener listener = received::add;
        this.hub.addEventListener("chat", listener);
        this.hub.addEventListener("chat", listener);
        connect(this.alice);

        this.alice.receiveText(Frames.event("chat", "hello"));

        assertThat(received).hasSize(1);
    }

    @Test
    void addEventListenerRejectsAnEmptyType() {
        assertThatIllegalArgumentException().isThrownBy(() -> this.hub.addEventListener("", (event) -> {
        }));
    }

    @Test
    void aSpokesDispatchEventSendsADirectMessageWhateverItSubscribedTo() {
        SpokeEventTarget aliceSpoke = connect(this.alice, "news");
        connect(this.bob, "private");

        boolean result = aliceSpoke.dispatchEvent(Event.of("private", "r1", "only for alice"));

        assertThat(result).isTrue();
        assertThat(this.alice.sentMessages())
            .containsExactly("{\"type\":\"private\",\"id\":\"r1\",\"payload\":\"only for alice\"}");
        assertThat(this.bob.sentMessages()).isEmpty();
    }

    @Test
    void aSpokesListenersReceiveOnlyThatSpokesEvents() {
        SpokeEventTarget aliceSpoke = connect(this.alice);
        connect(this.bob);
        List<Event> received = new CopyOnWriteArrayList<>();
        aliceSpoke.addEventListener("chat", received::add);

        this.bob.receiveText(Frames.event("chat", "from bob"));
        this.alice.receiveText(Frames.event("chat", "from alice"));

        assertThat(received).extracting((event) -> event.payloadAs(String.class)).containsExactly("from alice");
    }

    @Test
    void aSpokesListenersAndTheHubsListenersBothReceiveItsEvents() {
        SpokeEventTarget aliceSpoke = connect(this.alice);
        List<String> received = new CopyOnWriteArrayList<>();
        aliceSpoke.addEventListener("chat", (event) -> received.add("spoke"));
        this.hub.addEventListener("chat", (event) -> received.add("hub"));

        this.alice.receiveText(Frames.event("chat", "hello"));

        assertThat(received).containsExactlyInAnyOrder("spoke", "hub");
    }

    @Test
    void theEnvelopeIsSerializedOncePerDispatchNotOncePerSubscriber() {
        List<InMemoryRawSocket> sockets = IntStream.range(0, 25)
            .mapToObj((n) -> new InMemoryRawSocket("spoke-" + n))
            .toList();
        sockets.forEach((socket) -> connect(socket, "quotes"));
        CountingPayload payload = new CountingPayload("ACME", 12.5);

        this.hub.dispatchEvent(Event.of("quotes", payload));

        assertThat(payload.serializations()).isOne();
        assertThat(sockets).allSatisfy((socket) -> assertThat(socket.sentMessages())
            .containsExactly("{\"type\":\"quotes\",\"payload\":{\"symbol\":\"ACME\",\"price\":12.5}}"));
    }

    @Test
    void aPayloadTheMapperCannotSerializeIsRejectedAndNothingIsSent() {
        connect(this.alice, "news");

        assertThatIllegalArgumentException().isThrownBy(() -> this.hub.dispatchEvent(Event.of("news", new Unserializable())))
            .withMessageContaining("news");
        assertThat(this.alice.sentMessages()).isEmpty();
        assertThat(this.alice.isOpen()).isTrue();
    }

    @Test
    void theConfiguredMapperSerializesOutboundPayloads() {
        WebSocketServerEventTarget hub = WebSocketServerEventTarget.create(WebSocketServerOptions.builder()
            .jsonMapper(tools.jackson.databind.json.JsonMapper.builder()
                .propertyNamingStrategy(tools.jackson.databind.PropertyNamingStrategies.SNAKE_CASE)
                .build())
            .build());
        hub.addConnection(this.alice);
        this.alice.receiveText(Frames.subscribe("quotes"));

        hub.dispatchEvent(Event.of("quotes", new Quote("ACME", 3)));

        assertThat(this.alice.sentMessages())
            .containsExactly("{\"type\":\"quotes\",\"payload\":{\"ticker_symbol\":\"ACME\",\"lot_size\":3}}");
    }

    private SpokeEventTarget connect(InMemoryRawSocket socket, String... topics) {
        SpokeEventTarget spoke = this.hub.addConnection(socket);
        for (String topic : topics) {
            socket.receiveText(Frames.subscribe(topic));
        }
        return spoke;
    }

    record Quote(String tickerSymbol, int lotSize) {
    }

    static final class Unserializable {

        public String getValue() {
            throw new IllegalStateException("cannot be read");
        }
    }

    static final class CountingPayload {

        private final AtomicInteger serializations = new AtomicInteger();

        private final String symbol;

        private final double price;

        CountingPayload(String symbol, double price) {
            this.symbol = symbol;
            this.price = price;
        }

        @JsonValue
        Map<String, Object> toJson() {
            this.serializations.incrementAndGet();
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("symbol", this.symbol);
            json.put("price", this.price);
            return json;
        }

        int serializations() {
            return this.serializations.get();
        }
    }
}
