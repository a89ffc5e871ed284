package dev.fanout.client;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class WebSocketClientOptionsTests {

    private static final URI HUB = URI.create("ws://localhost:8080/fanout");

    @Test
    void theDefaultsAreThoseOfTheBrowserClient() {
        WebSocketClientOptions options = WebSocketClientOptions.of(HUB);
        assertThat(options.uri()).isEqualTo(HUB);
        assertThat(options.headers()).isEmpty();
        assertThat(options.reconnectBaseDelay()).isEqualTo(Duration.ofMillis(500));
        assertThat(options.reconnectMaxDelay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(options.ackTimeout()).isEqualTo(WebSocketClientOptions.DEFAULT_ACK_TIMEOUT);
        assertThat(options.maxQueuedEvents()).isEqualTo(WebSocketClientOptions.DEFAULT_MAX_QUEUED_EVENTS);
        assertThat(options.maxInboundMessageSize()).isEqualTo(1024 * 1024);
        assertThat(options.httpClient()).isNull();
    }

    @Test
    void onlyAbsoluteWsAndWssUrisWithAHostAreAccepted() {
        assertThat(WebSocketClientOptions.of(URI.create("wss://hub.example.com/fanout")).uri().getScheme())
            .isEqualTo("wss");
        for (String invalid : new String[] { "http://localhost/fanout", "/fanout", "ws:relative", "ws:///nohost",
                "ws://localhost/fanout#fragment", "mailto:hub@example.com" }) {
            assertThatIllegalArgumentException().isThrownBy(() -> WebSocketClientOptions.builder(URI.create(invalid)));
        }
        assertThatNullPointerException().isThrownBy(() -> WebSocketClientOptions.builder(null));
    }

    @Test
    void headersAreValidatedAtOnceAndKeptImmutable() {
        WebSocketClientOptions options = WebSocketClientOptions.builder(HUB)
            .header("Authorization", "Bearer abc")
            .header("X-Tenant", "acme")
            .build();
        assertThat(options.headers()).containsExactlyInAnyOrderEntriesOf(
                Map.of("Authorization", "Bearer abc", "X-Tenant", "acme"));
        WebSocketClientOptions.Builder builder = WebSocketClientOptions.builder(HUB);
        assertThatIllegalArgumentException().isThrownBy(() -> builder.header("Host", "evil"));
        assertThatIllegalArgumentException().isThrownBy(() -> builder.header("Sec-WebSocket-Key", "x"));
        assertThatIllegalArgumentException().isThrownBy(() -> builder.header("Bad Name", "x"));
        assertThatIllegalArgumentException().isThrownBy(() -> builder.header("", "x"));
        assertThatIllegalArgumentException().isThrownBy(() -> builder.header("X-Split", "a\r\nInjected: yes"));
        Map<String, String> mutable = new HashMap<>(Map.of("X-A", "1"));
        WebSocketClientOptions copied = new WebSocketClientOptions(HUB, mutable, Duration.ofSeconds(1),
                Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(1), 1, 1, options.jsonMapper(), null);
        mutable.put("X-B", "2");
        assertThat(copied.headers()).containsOnlyKeys("X-A");
    }

    @Test
    void delaysAndLimitsMustBePositiveAndTheMaxDelayAtLeastTheBase() {
        WebSocketClientOptions.Builder builder = WebSocketClientOptions.builder(HUB);
        assertThatIllegalArgumentException().isThrownBy(() -> builder.reconnectDelay(Duration.ZERO, Duration.ofSeconds(1)));
        assertThatIllegalArgumentException()
            .isThrownBy(() -> builder.reconnectDelay(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertThatIllegalArgumentException().isThrownBy(() -> builder.connectTimeout(Duration.ofMillis(-1)));
        assertThatIllegalArgumentException().isThrownBy(() -> builder.ackTimeout(Duration.ZERO));
        assertThatIllegalArgumentException().isThrownBy(() -> builder.maxQueuedEvents(0));
        assertThatIllegalArgumentException().isThrownBy(() -> builder.maxInboundMessageSize(-5));
        assertThatNullPointerException().isThrownBy(() -> builder.jsonMapper(null));
    }

    @Test
    void toBuilderChangesOnlyWhatIsSet() {
        WebSocketClientOptions options = WebSocketClientOptions.builder(HUB)
            .header("Authorization", "Bearer abc")
            .maxQueuedEvents(7)
            .build();
        WebSocketClientOptions changed = options.toBuilder().ackTimeout(Duration.ofSeconds(3)).build();
        assertThat(changed).isEqualTo(new WebSocketClientOptions(HUB, options.headers(), options.reconnectBaseDelay(),
                options.reconnectMaxDelay(), options.connectTimeout(), Duration.ofSeconds(3), 7,
                options.maxInboundMessageSize(), options.jsonMapper(), null));
    }
}
