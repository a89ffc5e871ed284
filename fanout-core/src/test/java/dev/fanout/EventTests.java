package dev.fanout;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class EventTests {

    @Test
    void anEventHasATypeAndOptionallyAnIdAndAPayload() {
        Event bare = Event.of("news");
        Event withPayload = Event.of("news", List.of(1));
        Event full = Event.of("news", "id-1", "text");

        assertThat(bare.type()).isEqualTo("news");
        assertThat(bare.id()).isNull();
        assertThat(bare.payload()).isNull();
        assertThat(withPayload.id()).isNull();
        assertThat(withPayload.payload()).isEqualTo(List.of(1));
        assertThat(full.id()).isEqualTo("id-1");
        assertThat(full.payload()).isEqualTo("text");
    }

    @Test
    void anEventTypeMustNotBeEmptyNorNull() {
        assertThatIllegalArgumentException().isThrownBy(() -> Event.of(""));
        assertThatNullPointerException().isThrownBy(() -> Event.of(null));
    }

    @Test
    void withIdReturnsACopyWithAnotherIdAndLeavesTheOriginalUnchanged() {
        Event original = Event.of("news", "a", "text");

        Event copy = original.withId("b");

        assertThat(copy).isEqualTo(Event.of("news", "b", "text"));
        assertThat(original.id()).isEqualTo("a");
        assertThat(original.withId(null).id()).isNull();
    }

    @Test
    void eventsWithEqualTypeIdAndPayloadAreEqual() {
        assertThat(Event.of("news", "a", Map.of("k", 1))).isEqualTo(Event.of("news", "a", Map.of("k", 1)))
            .hasSameHashCodeAs(Event.of("news", "a", Map.of("k", 1)))
            .isNotEqualTo(Event.of("news", "b", Map.of("k", 1)))
            .isNotEqualTo(Event.of("other", "a", Map.of("k", 1)));
    }

    @Test
    void payloadAsConvertsAReceivedJsonPayloadToARecord() {
        Event event = received("{\"type\":\"quote\",\"payload\":{\"symbol\":\"ACME\",\"price\":12.5}}");

        assertThat(event.payload()).isInstanceOf(JsonNode.class);
        assertThat(event.payloadAs(Quote.class)).isEqualTo(new Quote("ACME", 12.5));
    }

    @Test
    void payloadAsConvertsToGenericTypesThroughATypeReference() {
        Event event = received("{\"type\":\"quotes\",\"payload\":[{\"symbol\":\"A\",\"price\":1},"
                + "{\"symbol\":\"B\",\"price\":2}]}");

        List<Quote> quotes = event.payloadAs(new TypeReference<List<Quote>>() {
        });

        assertThat(quotes).containsExactly(new Quote("A", 1), new Quote("B", 2));
    }

    @Test
    void payloadAsUsesTheMapperOfTheHubThatReceivedTheEvent() {
        JsonMapper snakeCase = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .build();

        Event event = received("{\"type\":\"lot\",\"payload\":{\"ticker_symbol\":\"ACME\",\"lot_size\":3}}",
                WebSocketServerOptions.builder().jsonMapper(snakeCase).build());

        assertThat(event.payloadAs(Lot.class)).isEqualTo(new Lot("ACME", 3));
    }

    @Test
    void payloadAsReturnsNullWithoutPayload() {
        assertThat(Event.of("news").payloadAs(Quote.class)).isNull();
        assertThat(received("{\"type\":\"news\",\"payload\":null}").payloadAs(Quote.class)).isNull();
        assertThat(Event.of("news").payloadAs(new TypeReference<List<Quote>>() {
        })).isNull();
    }

    @Test
    void payloadAsReturnsAPayloadThatAlreadyHasTheTargetTypeAsIs() {
        Quote quote = new Quote("ACME", 1);

        assertThat(Event.of("quote", quote).payloadAs(Quote.class)).isSameAs(quote);
    }

    @Test
    void payloadAsConvertsAnOutboundObjectPayloadToo() {
        Event event = Event.of("quote", Map.of("symbol", "ACME", "price", 2.0));

        assertThat(event.payloadAs(Quote.class)).isEqualTo(new Quote("ACME", 2.0));
    }

    @Test
    void payloadAsThrowsIllegalArgumentExceptionForAPayloadOfTheWrongShape() {
        Event event = received("{\"type\":\"quote\",\"payload\":[1,2,3]}");

        assertThatIllegalArgumentException().isThrownBy(() -> event.payloadAs(Quote.class))
            .withMessageContaining("quote");
        assertThatIllegalArgumentException().isThrownBy(() -> event.payloadAs(new TypeReference<Map<String, Integer>>() {
        }));
    }

    @Test
    void payloadAsRejectsANullTargetType() {
        assertThatNullPointerException().isThrownBy(() -> Event.of("news", 1).payloadAs((Class<?>) null));
    }

    private static Event received(String frame) {
        return received(frame, WebSocketServerOptions.ofDefaults());
    }

    private static Event received(String frame, WebSocketServerOptions options) {
        WebSocketServerEventTarget hub = WebSocketServerEventTarget.create(options);
        dev.fanout.testing.InMemoryRawSocket socket = new dev.fanout.testing.InMemoryRawSocket("spoke");
        hub.addConnection(socket);
        String type = Frames.parse(frame).get("type").stringValue();
        Event[] received = new Event[1];
        hub.addEventListener(type, (event) -> received[0] = event);
        socket.receiveText(frame);
        assertThat(received[0]).as("event received from " + frame).isNotNull();
        return received[0];
    }

    record Quote(String symbol, double price) {
    }

    record Lot(String tickerSymbol, int lotSize) {
    }
}
