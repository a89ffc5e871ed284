package dev.fanout;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Builds the history requests of a spoke's {@code __subscribe} and reads the offsets and acknowledgements of the
 * hub's frames, as docs/protocol.md defines them. Stateless and thread-safe; part of fanout-core's test-jar, next to
 * {@link Frames}.
 */
public final class HistoryFrames {

    private HistoryFrames() {
    }

    /**
     * {@code {"type":"__subscribe","id":id,"payload":{"topic":topic,"since":{"epoch":epoch,"offset":offset}}}}.
     *
     * @param topic the topic
     * @param id the id
     * @param epoch the epoch the spoke knows
     * @param offset the offset of the last event it has
     * @return the frame
     */
    public static String subscribeSince(String topic, String id, String epoch, long offset) {
        return subscribe(topic, id, Map.of("epoch", epoch, "offset", offset), null);
    }

    /**
     * {@code {"type":"__subscribe","id":id,"payload":{"topic":topic,"latest":true}}}.
     *
     * @param topic the topic
     * @param id the id
     * @return the frame
     */
    public static String subscribeLatest(String topic, String id) {
        return subscribe(topic, id, null, true);
    }

    /**
     * A {@code __subscribe} with any {@code since} and {@code latest} members (a test may send wrong types).
     *
     * @param topic the topic
     * @param id the id, or {@code null} for none
     * @param since the {@code since} member, or {@code null} to leave it out
     * @param latest the {@code latest} member, or {@code null} to leave it out
     * @return the frame
     */
    public static String subscribe(String topic, @Nullable String id, @Nullable Object since, @Nullable Object latest) {
        Map<String, @Nullable Object> payload = new LinkedHashMap<>();
        payload.put("topic", topic);
        if (since != null) {
            payload.put("since", since);
        }
        if (latest != null) {
            payload.put("latest", latest);
        }
        Map<String, @Nullable Object> envelope = new LinkedHashMap<>();
        envelope.put("type", "__subscribe");
        if (id != null) {
            envelope.put("id", id);
        }
        envelope.put("payload", payload);
        return Frames.json(envelope);
    }

    /**
     * The {@code offset} of an event frame.
     *
     * @param frame the frame
     * @return the offset, or -1 if it has none
     */
    public static long offsetOf(String frame) {
        return Frames.parse(frame).path("offset").asLong(-1);
    }

    /**
     * The offsets of the event frames of a topic, in the order they were sent.
     *
     * @param frames the frames a spoke received
     * @param topic the topic
     * @return the offsets
     */
    public static List<Long> offsetsOf(List<String> frames, String topic) {
        return frames.stream()
            .map(Frames::parse)
            .filter((frame) -> topic.equals(frame.path("type").asString("")))
            .map((frame) -> frame.path("offset").asLong(-1))
            .toList();
    }

    /**
     * The payload of the {@code __ack} with the id, among the frames.
     *
     * @param frames the frames a spoke received
     * @param id the id
     * @return the ack's payload
     * @throws AssertionError if there is no such ack
     */
    public static JsonNode ackPayload(List<String> frames, String id) {
        return frames.stream()
            .map(Frames::parse)
            .filter((frame) -> "__ack".equals(frame.path("type").asString("")) && id.equals(frame.path("id").asString("")))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no __ack " + id + " in " + frames))
            .path("payload");
    }
}
