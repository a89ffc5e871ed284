package dev.fanout.spring.websocket;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class MessageAssemblerTests {

    private final MessageAssembler assembler = new MessageAssembler(10);

    @Test
    void textMessageInOnePartIsPassedThroughWithoutACopy() throws Exception {
        String whole = "0123456789";
        assertThat(this.assembler.text(whole, true)).isSameAs(whole);
    }

    @Test
    void textPartsAreJoinedAndOnlyTheLastPartYieldsTheMessage() throws Exception {
        assertThat(this.assembler.text("ab", false)).isNull();
        assertThat(this.assembler.text("cd", false)).isNull();
        assertThat(this.assembler.text("ef", true)).isEqualTo("abcdef");
        assertThat(this.assembler.text("next", true)).isEqualTo("next");
    }

    @Test
    void textMessageGrowingPastTheLimitIsRefusedAndTheNextMessageStartsAfresh() throws Exception {
        assertThat(this.assembler.text("123456", false)).isNull();
        assertThatExceptionOfType(MessageAssembler.MessageTooBigException.class)
            .isThrownBy(() -> this.assembler.text("12345", false));
        assertThat(this.assembler.text("fresh", true)).isEqualTo("fresh");
    }

    @Test
    void textMessageOfExactlyTheLimitIsAccepted() throws Exception {
        assertThat(this.assembler.text("12345", false)).isNull();
        assertThat(this.assembler.text("67890", true)).isEqualTo("1234567890");
    }

    @Test
    void singleTextPartOverTheLimitIsRefused() {
        assertThatExceptionOfType(MessageAssembler.MessageTooBigException.class)
            .isThrownBy(() -> this.assembler.text("12345678901", true));
    }

    @Test
    void binaryPartsAreJoinedAndOnlyTheLastPartYieldsTheMessage() throws Exception {
        assertThat(this.assembler.binary(bytes("abc"), false)).isNull();
        assertThat(this.assembler.binary(bytes("def"), true)).isEqualTo(bytes("abcdef").array());
        assertThat(this.assembler.binary(bytes("one"), true)).isEqualTo(bytes("one").array());
    }

    @Test
    void binaryMessageGrowingPastTheLimitIsRefusedAndTheNextMessageStartsAfresh() throws Exception {
        assertThat(this.assembler.binary(bytes("12345678"), false)).isNull();
        assertThatExceptionOfType(MessageAssembler.MessageTooBigException.class)
            .isThrownBy(() -> this.assembler.binary(bytes("123"), true));
        assertThat(this.assembler.binary(bytes("fresh"), true)).isEqualTo(bytes("fresh").array());
    }

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }
}
