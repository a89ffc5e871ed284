package dev.fanout;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.fanout.testing.InMemoryRawSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 8, item 1, as properties over generated odd text ({@link InputGenerator#oddString}): unpaired surrogates,
 * noncharacters and every other odd code point, in payloads the application dispatches and in payloads spokes send.
 * The sockets behave like real WebSockets and cannot send text without a UTF-8 form. Content never closes a healthy
 * connection, and what is delivered equals what was dispatched.
 */
class OddTextPropertyTests {

    private static final int CASES = 300;

    /** Writes what a browser's {@code JSON.stringify} would for a lone surrogate: a JSON escape. */
    private static final JsonMapper ASCII_JSON = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    private final WebSocketServerEventTarget hub = WebSocketServerEventTarget.create();

    private final InMemoryRawSocket first = new InMemoryRawSocket("first");

    private final InMemoryRawSocket second = new InMemoryRawSocket("second");

    private final InMemoryRawSocket sender = new InMemoryRawSocket("sender");

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void dispatchedOddTextClosesNoSubscriberAndReachesEachExactlyAsDispatched(long seed) {
        InputGenerator generate = new InputGenerator(seed);
        subscribe(this.first, "room");
        subscribe(this.second, "room");

        for (int events = generate.between(1, 10); events > 0; events--) {
            Object payload = generate.oddPayload(12);
            String id = generate.chance(0.3) ? generate.oddString(6) : null;
            this.hub.dispatchEvent(Event.of("room", id, payload));

            for (InMemoryRawSocket socket : List.of(this.first, this.second)) {
                assertThat(socket.isOpen()).isTrue();
                String frame = socket.sentMessages().get(socket.sentMessages().size() - 1);
                assertThat(StandardCharsets.UTF_8.newEncoder().canEncode(frame)).isTrue();
                JsonNode received = Frames.parse(frame);
                assertThat(received.path("payload")).isEqualTo(Frames.MAPPER.valueToTree(payload));
                assertThat(received.path("id").isMissingNode() ? null : received.path("id").stringValue())
                    .isEqualTo(id);
            }
        }
        assertThat(this.hub.topicSubscriberCounts()).containsEntry("room", 2);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void oddTextFromASpokeClosesNobodyAndIsRelayedExactlyUnlessItHoldsAnUnpairedSurrogate(long seed) {
        InputGenerator generate = new InputGenerator(seed);
        subscribe(this.first, "room");
        this.hub.addConnection(this.sender);
        List<JsonNode> relayed = new CopyOnWriteArrayList<>();
        this.hub.addEventListener("relay", (event) -> {
            relayed.add((JsonNode) event.payload());
            this.hub.dispatchEvent(Event.of("room", event.payload()));
        });

        int expectedRelays = 0;
        for (int frames = generate.between(1, 10); frames > 0; frames--) {
            Object payload = generate.oddPayload(12);
            String raw = Frames.event("relay", payload);
            boolean unpaired = hasUnpairedSurrogate(raw);
            String frame = (unpaired || generate.chance(0.5)) ? ASCII_JSON.writeValueAsString(Frames.parse(raw)) : raw;
            if (generate.chance(0.5)) {
                this.sender.receiveText(frame);
            }
            else {
                this.sender.receiveBinary(Frames.utf8(frame));
            }
            if (!unpaired) {
                expectedRelays++;
                assertThat(relayed.get(relayed.size() - 1)).isEqualTo(Frames.MAPPER.valueToTree(payload));
                assertThat(Frames.parse(this.first.sentMessages().get(this.first.sentMessages().size() - 1))
                    .path("payload")).isEqualTo(Frames.MAPPER.valueToTree(payload));
            }
            assertThat(relayed).hasSize(expectedRelays);
            assertThat(this.first.isOpen()).isTrue();
            assertThat(this.sender.isOpen()).isTrue();
        }
        assertThat(this.hub.connectionCount()).isEqualTo(2);
    }

    @Test
    void theOddTextHoldsUnpairedSurrogatesNoncharactersAndPairsAlike() {
        List<String> strings = seeds().mapToObj((seed) -> new InputGenerator(seed).oddString(12)).toList();

        assertThat(strings).filteredOn(OddTextPropertyTests::hasUnpairedSurrogate).hasSizeGreaterThan(CASES / 2);
        assertThat(strings).filteredOn((text) -> !hasUnpairedSurrogate(text)).hasSizeGreaterThan(CASES / 20);
        assertThat(strings).filteredOn((text) -> text.codePoints().anyMatch((c) -> (c & 0xfffe) == 0xfffe))
            .hasSizeGreaterThan(CASES / 20);
        assertThat(strings).filteredOn((text) -> text.codePoints().anyMatch(Character::isSupplementaryCodePoint))
            .hasSizeGreaterThan(CASES / 10);
    }

    static LongStream seeds() {
        return InputGenerator.seeds("odd text", CASES);
    }

    private void subscribe(InMemoryRawSocket socket, String topic) {
        this.hub.addConnection(socket);
        socket.receiveText(Frames.subscribe(topic));
    }

    /** Whether the text has no UTF-8 form; written independently of the hub. */
    private static boolean hasUnpairedSurrogate(String text) {
        return !StandardCharsets.UTF_8.newEncoder().canEncode(text);
    }
}
