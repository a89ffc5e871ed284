package dev.fanout.spring.websocket;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FrameSizerTests {

    @Test
    void countsUtf8BytesOfAsciiTwoThreeAndFourByteCharacters() {
        String[] texts = { "", "plain ascii", "é and ß", "€ and 中文", "emoji 😀 pair", "\u07ff\u0800" };
        for (String text : texts) {
            assertThat(FrameSizer.countUtf8Bytes(text)).as(text)
                .isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
        }
    }

    @Test
    void theSameStringInstanceIsCountedOnceAndAnEqualButDistinctOneAgain() {
        AtomicInteger counted = new AtomicInteger();
        FrameSizer sizer = new FrameSizer((text) -> {
            counted.incrementAndGet();
            return FrameSizer.countUtf8Bytes(text);
        });
        String frame = "{\"type\":\"t\",\"payload\":\"" + "ü".repeat(100) + "\"}";
        long size = frame.getBytes(StandardCharsets.UTF_8).length;
        assertThat(sizer.utf8Length(frame)).isEqualTo(size);
        assertThat(sizer.utf8Length(frame)).isEqualTo(size);
        assertThat(counted).hasValue(1);
        assertThat(sizer.utf8Length(new String(frame))).isEqualTo(size);
        assertThat(counted).hasValue(2);
        assertThat(sizer.utf8Length("other")).isEqualTo(5);
        assertThat(counted).hasValue(3);
    }
}
