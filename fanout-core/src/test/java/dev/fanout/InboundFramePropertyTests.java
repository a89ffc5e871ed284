package dev.fanout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;

import dev.fanout.testing.InMemoryRawSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties of the inbound side over generated frames: whatever a spoke sends, nothing escapes the adapter, the
 * connection stays open, and state (subscriptions, listener calls) changes exactly as the protocol says, which for
 * anything but a valid event or control event means not at all; a control event with a string id gets exactly the
 * one reply of protocol 1.1, and nothing else is ever sent. See {@link InputGenerator} for the seeds.
 */
class InboundFramePropertyTests {

    private static final int MAX_TOPIC_LENGTH = 12;

    private static final int MAX_SUBSCRIPTIONS = 3;

    private static final List<String> TOPICS = List.of("a", "b", "news.eu", "x-1", "天気");

    private static final int CASES = 200;

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("arbitraryStringSeeds")
    void arbitraryTextFramesNeverEscapeTheAdapterAndChangeStateOnlyAsTheProtocolSays(long seed) {
        InputGenerator generate = new InputGenerator(seed);
        SpokeModel spoke = new SpokeModel();

        for (int frames = generate.between(1, 20); frames > 0; frames--) {
            spoke.receiveText(generate.anyString(40));
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("arbitraryBytesSeeds")
    void arbitraryBinaryFramesNeverEscapeTheAdapterAndChangeStateOnlyAsTheProtocolSays(long seed) {
        InputGenerator generate = new InputGenerator(seed);
        SpokeModel spoke = new SpokeModel();

        for (int frames = generate.between(1, 20); frames > 0; frames--) {
            spoke.receiveBinary(generate.anyBytes(40));
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("structuredFrameSeeds")
    void eventShapedFramesChangeSubscriptionsAndReachListenersOnlyWhenValid(long seed) {
        feedStructuredFrames(seed, new SpokeModel());
    }

    @Test
    void theEventShapedFramesExerciseAcknowledgementsAndEveryErrorCodeOfControlEvents() {
        SpokeModel[] spokes = structuredFrameSeeds().mapToObj((seed) -> feedStructuredFrames(seed, new SpokeModel()))
            .toArray(SpokeModel[]::new);

        List<String> replies = Stream.of(spokes)
            .flatMap((spoke) -> spoke.expectedReplies.stream())
            .map((reply) -> reply.get("type").stringValue() + ":" + reply.get("payload").path("code").asString(""))
            .toList();
        assertThat(replies).contains("__ack:", "__error:invalid_topic", "__error:unknown_type",
                "__error:subscription_limit");
    }

    @Test
    void theEventShapedFramesExerciseSubscribesUnsubscribesListenerCallsAndIgnoredFrames() {
        SpokeModel[] spokes = structuredFrameSeeds().mapToObj((seed) -> feedStructuredFrames(seed, new SpokeModel()))
            .toArray(SpokeModel[]::new);

        assertThat(Stream.of(spokes).mapToInt((spoke) -> spoke.subscribesThatChangedState).sum())
            .isGreaterThan(CASES);
        assertThat(Stream.of(spokes).mapToInt((spoke) -> spoke.unsubscribesThatChangedState).sum())
            .isGreaterThan(CASES / 8);
        assertThat(Stream.of(spokes).filter((spoke) -> spoke.expectedSubscriptions.size() == MAX_SUBSCRIPTIONS))
            .hasSizeGreaterThan(CASES / 10);
        assertThat(Stream.of(spokes).mapToInt((spoke) -> spoke.expectedListenerCalls.size()).sum())
            .isGreaterThan(CASES / 2);
        assertThat(Stream.of(spokes).mapToInt((spoke) -> spoke.framesWithoutEffect).sum()).isGreaterThan(CASES);
    }

    private static SpokeModel feedStructuredFrames(long seed, SpokeModel spoke) {
        InputGenerator generate = new InputGenerator(seed);
        for (int frames = generate.between(5, 40); frames > 0; frames--) {
            String frame = generate.structuredFrame(TOPICS, MAX_TOPIC_LENGTH);
            if (generate.chance(0.5)) {
                spoke.receiveText(frame);
            }
            else {
                spoke.receiveBinary(Frames.utf8(frame));
            }
        }
        return spoke;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("topicSeeds")
    void generatedValidTopicsAreSubscribedAndUnsubscribed(long seed) {
        String topic = new InputGenerator(seed).validTopic(MAX_TOPIC_LENGTH);
        SpokeModel spoke = new SpokeModel();

        spoke.receiveText(Frames.subscribe(topic));
        assertThat(spoke.target.subscriptions()).as("subscriptions after subscribing to %s", quoted(topic))
            .containsExactly(topic);
        spoke.receiveText(Frames.unsubscribe(topic));
        assertThat(spoke.target.subscriptions()).isEmpty();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("topicSeeds")
    void generatedInvalidTopicsAreIgnored(long seed) {
        String topic = new InputGenerator(seed).invalidTopic(MAX_TOPIC_LENGTH);
        SpokeModel spoke = new SpokeModel();

        spoke.receiveText(Frames.subscribe(topic));
        assertThat(spoke.target.subscriptions()).as("subscriptions after subscribing to %s", quoted(topic)).isEmpty();
        assertThat(spoke.hub.topicSubscriberCounts()).containsOnlyKeys("a");
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("topicSeeds")
    void arbitraryTopicCandidatesAreAcceptedExactlyWhenTheTopicRuleHolds(long seed) {
        InputGenerator generate = new InputGenerator(seed);
        SpokeModel spoke = new SpokeModel();

        for (int topics = 0; topics < 10; topics++) {
            String topic = generate.topicCandidate(MAX_TOPIC_LENGTH + 2);
            spoke.receiveText(Frames.subscribe(topic));
            spoke.receiveText(Frames.unsubscribe(topic));
        }
    }

    static LongStream arbitraryStringSeeds() {
        return InputGenerator.seeds("strings", CASES);
    }

    static LongStream arbitraryBytesSeeds() {
        return InputGenerator.seeds("bytes", CASES);
    }

    static LongStream structuredFrameSeeds() {
        return InputGenerator.seeds("structured", CASES);
    }

    static LongStream topicSeeds() {
        return InputGenerator.seeds("topics", CASES);
    }

    /**
     * The topic rule of the protocol, written down independently of the hub's code.
     */
    static boolean obeysTheTopicRule(String topic) {
        return !topic.isEmpty() && topic.length() <= MAX_TOPIC_LENGTH && !topic.startsWith("__")
                && topic.chars()
                    .noneMatch((c) -> Character.isWhitespace(c) || Character.isSpaceChar(c)
                            || Character.isISOControl(c))
                && topic.codePoints()
                    .noneMatch((c) -> Character.getType(c) == Character.FORMAT
                            || Character.getType(c) == Character.SURROGATE);
    }

    private static String quoted(String text) {
        StringBuilder out = new StringBuilder("\"");
        text.chars().forEach((c) -> out.append((c < 0x20 || c > 0x7e) ? String.format("\\u%04x", c) : (char) c));
        return out.append('"').toString();
    }

    /**
     * One hub with a spoke under test and a bystander spoke, plus the protocol's expectation of their state, checked
     * after every frame.
     */
    private static final class SpokeModel {

        private static final ObjectReader STRICT_READER = Frames.MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);

        final WebSocketServerEventTarget hub = WebSocketServerEventTarget.create(WebSocketServerOptions.builder()
            .maxTopicLength(MAX_TOPIC_LENGTH)
            .maxSubscriptionsPerConnection(MAX_SUBSCRIPTIONS)
            .build());

        final InMemoryRawSocket socket = new InMemoryRawSocket("spoke");

        final InMemoryRawSocket bystanderSocket = new InMemoryRawSocket("bystander");

        final SpokeEventTarget target = this.hub.addConnection(this.socket);

        final SpokeEventTarget bystander = this.hub.addConnection(this.bystanderSocket);

        final List<String> hubListenerCalls = new CopyOnWriteArrayList<>();

        final List<String> spokeListenerCalls = new CopyOnWriteArrayList<>();

        final List<String> bystanderListenerCalls = new CopyOnWriteArrayList<>();

        final EventListener hubListener = (event) -> this.hubListenerCalls.add(event.type());

        final EventListener spokeListener = (event) -> this.spokeListenerCalls.add(event.type());

        final EventListener bystanderListener = (event) -> this.bystanderListenerCalls.add(event.type());

        final Set<String> expectedSubscriptions = new LinkedHashSet<>();

        final List<String> expectedListenerCalls = new ArrayList<>();

        final List<JsonNode> expectedReplies = new ArrayList<>();

        int subscribesThatChangedState;

        int unsubscribesThatChangedState;

        int framesWithoutEffect;

        SpokeModel() {
            this.bystanderSocket.receiveText(Frames.subscribe("a"));
        }

        void receiveText(String frame) {
            expectOrCount(parse(frame));
            this.socket.receiveText(frame);
            check("text " + quoted(frame));
        }

        void receiveBinary(byte[] frame) {
            expectOrCount(parse(frame));
            this.socket.receiveBinary(frame);
            check("binary " + java.util.HexFormat.of().formatHex(frame));
        }

        private void expectOrCount(@Nullable JsonNode message) {
            int changesBefore = this.subscribesThatChangedState + this.unsubscribesThatChangedState
                    + this.expectedListenerCalls.size();
            expect(message);
            if (changesBefore == this.subscribesThatChangedState + this.unsubscribesThatChangedState
                    + this.expectedListenerCalls.size()) {
                this.framesWithoutEffect++;
            }
        }

        private void expect(@Nullable JsonNode message) {
            if (message == null || !message.isObject() || message.get("type") == null
                    || !message.get("type").isString() || hasStringWithoutUtf8Form(message)) {
                return;
            }
            String type = message.get("type").stringValue();
            listenFor(type);
            if (type.startsWith("__")) {
                JsonNode idNode = message.get("id");
                String replyId = (idNode != null && idNode.isString()) ? idNode.stringValue() : null;
                expectControl(type, message.get("payload"), replyId);
                return;
            }
            JsonNode id = message.get("id");
            boolean idUsable = id == null || id.isNull() || id.isString();
            if (obeysTheTopicRule(type) && idUsable) {
                this.expectedListenerCalls.add(type);
            }
        }

        private void expectControl(String type, @Nullable JsonNode payload, @Nullable String replyId) {
            if (!type.equals("__subscribe") && !type.equals("__unsubscribe")) {
                expectError(replyId, null, "unknown_type");
                return;
            }
            JsonNode topicNode = (payload != null && payload.isObject()) ? payload.get("topic") : null;
            if (topicNode == null || !topicNode.isString() || !obeysTheTopicRule(topicNode.stringValue())) {
                String echoed = (topicNode != null && topicNode.isString()
                        && topicNode.stringValue().length() <= MAX_TOPIC_LENGTH) ? topicNode.stringValue() : null;
                expectError(replyId, echoed, "invalid_topic");
                return;
            }
            String topic = topicNode.stringValue();
            if (type.equals("__subscribe") && !this.expectedSubscriptions.contains(topic)
                    && this.expectedSubscriptions.size() >= MAX_SUBSCRIPTIONS) {
                expectError(replyId, topic, "subscription_limit");
                return;
            }
            if (type.equals("__subscribe") && this.expectedSubscriptions.add(topic)) {
                this.subscribesThatChangedState++;
            }
            else if (type.equals("__unsubscribe") && this.expectedSubscriptions.remove(topic)) {
                this.unsubscribesThatChangedState++;
            }
            if (replyId != null) {
                this.expectedReplies.add(Frames.parse(Frames.json(Map.of("type", "__ack", "id", replyId, "payload",
                        Map.of("topic", topic)))));
            }
        }

        private void expectError(@Nullable String replyId, @Nullable String topic, String code) {
            if (replyId == null) {
                return;
            }
            Map<String, Object> payload = new java.util.LinkedHashMap<>();
            if (topic != null) {
                payload.put("topic", topic);
            }
            payload.put("code", code);
            JsonNode expected = Frames.parse(Frames.json(Map.of("type", "__error", "id", replyId, "payload", payload)));
            this.expectedReplies.add(expected);
        }

        private void listenFor(String type) {
            if (!type.isEmpty()) {
                this.hub.addEventListener(type, this.hubListener);
                this.target.addEventListener(type, this.spokeListener);
                this.bystander.addEventListener(type, this.bystanderListener);
            }
        }

        private void check(String frame) {
            assertThat(this.socket.isOpen()).as("socket open after %s", frame).isTrue();
            assertThat(this.target.isConnected()).as("spoke connected after %s", frame).isTrue();
            assertThat(this.target.subscriptions()).as("subscriptions after %s", frame)
                .containsExactlyInAnyOrderElementsOf(this.expectedSubscriptions);
            Map<String, Integer> expectedCounts = new TreeMap<>();
            this.expectedSubscriptions.forEach((topic) -> expectedCounts.put(topic, 1));
            expectedCounts.merge("a", 1, Integer::sum);
            assertThat(this.hub.topicSubscriberCounts()).as("topic subscriber counts after %s", frame)
                .containsExactlyEntriesOf(expectedCounts);
            assertThat(this.hubListenerCalls).as("hub listener calls after %s", frame)
                .containsExactlyElementsOf(this.expectedListenerCalls);
            assertThat(this.spokeListenerCalls).as("spoke listener calls after %s", frame)
                .containsExactlyElementsOf(this.expectedListenerCalls);
            assertThat(this.bystanderListenerCalls).as("bystander listener calls after %s", frame).isEmpty();
            assertThat(this.bystander.subscriptions()).containsExactly("a");
            assertThat(this.socket.sentMessages()).as("messages sent after %s", frame)
                .map(SpokeModel::withoutMessage)
                .containsExactlyElementsOf(this.expectedReplies);
            assertThat(this.hub.connectionCount()).isEqualTo(2);
        }

        /** Whether a string of the message, property names included, holds an unpaired surrogate. */
        private static boolean hasStringWithoutUtf8Form(JsonNode message) {
            if (message.isString()) {
                return !StandardCharsets.UTF_8.newEncoder().canEncode(message.stringValue());
            }
            return message.properties().stream()
                .anyMatch((property) -> !StandardCharsets.UTF_8.newEncoder().canEncode(property.getKey()))
                    || message.valueStream().anyMatch(SpokeModel::hasStringWithoutUtf8Form);
        }

        /** A reply without its {@code payload.message}, the text for people that the protocol does not fix. */
        private static JsonNode withoutMessage(String frame) {
            JsonNode reply = Frames.parse(frame);
            JsonNode payload = reply.get("payload");
            if (payload instanceof tools.jackson.databind.node.ObjectNode object) {
                object.remove("message");
            }
            return reply;
        }

        private static @Nullable JsonNode parse(String frame) {
            try {
                return STRICT_READER.readTree(frame);
            }
            catch (JacksonException ex) {
                return null;
            }
        }

        private static @Nullable JsonNode parse(byte[] frame) {
            try {
                return STRICT_READER.readTree(frame);
            }
            catch (JacksonException ex) {
                return null;
            }
        }
    }
}
