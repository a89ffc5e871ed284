package dev.fanout.benchmarks.load.client;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class WsFramesTests {

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 125, 126, 65_535, 65_536, 100_000 })
    void aMaskedFrameParsesBackToItsPayloadAtEveryLengthEncoding(int length) {
        byte[] payload = new byte[length];
        Arrays.fill(payload, (byte) 'a');
        byte[] frame = new byte[length + WsFrames.MAX_HEADER];
        int frameLength = WsFrames.encodeMasked(WsFrames.OPCODE_TEXT, payload, length, frame);
        List<byte[]> received = new ArrayList<>();

        int consumed = WsFrames.parse(frame, 0, frameLength, (fin, opcode, buffer, offset, size) ->
                received.add(Arrays.copyOfRange(buffer, offset, offset + size)));

        assertThat(consumed).isEqualTo(frameLength);
        assertThat(WsFrames.frameLength(frame, 0, frameLength)).isEqualTo(frameLength);
        assertThat(received).singleElement().isEqualTo(payload);
    }

    @Test
    void anIncompleteFrameIsLeftUnconsumedForTheNextRead() {
        byte[] payload = "hello".getBytes();
        byte[] frames = new byte[2 * (payload.length + WsFrames.MAX_HEADER)];
        int first = WsFrames.encodeMasked(WsFrames.OPCODE_TEXT, payload, payload.length, frames);
        byte[] second = new byte[payload.length + WsFrames.MAX_HEADER];
        int secondLength = WsFrames.encodeMasked(WsFrames.OPCODE_TEXT, payload, payload.length, second);
        System.arraycopy(second, 0, frames, first, secondLength);
        List<String> received = new ArrayList<>();

        int consumed = WsFrames.parse(frames, 0, first + secondLength - 1, (fin, opcode, buffer, offset, size) ->
                received.add(new String(buffer, offset, size)));

        assertThat(consumed).isEqualTo(first);
        assertThat(received).containsExactly("hello");
    }
}
