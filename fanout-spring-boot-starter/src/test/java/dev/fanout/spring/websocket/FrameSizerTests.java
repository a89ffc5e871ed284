package dev.fanout.spring.websocket;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FrameSizerTests {

    private final FrameSizer sizer = new FrameSizer();

    @Test
    void countsUtf8BytesOfAsciiTwoThreeAndFourByteCharacters() {
        for (String text : new String[] { "", "plain ascii", "é and ß", "€ and 中文", "emoji 😀 pair", "\u07ff\u0800" }) {
            assertThat(this.sizer.utf8Length(text)).as(text)
                .isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
        }
    }

    @Test
    void sameStringInstanceIsCountedFromTheRememberedEntry() {
        String frame = "{\"type\":\"t\",\"payload\":\"" + "ü".repeat(100) + "\"}";
        long first = this.sizer.utf8Length(frame);
        assertThat(this.sizer.utf8Length(frame)).isEqualTo(first);
        assertThat(this.sizer.utf8Length(new String(frame))).isEqualTo(first);
        assertThat(this.sizer.utf8Length("other")).isEqualTo(5);
    }
}
