package dev.fanout.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The immutable options of a {@link WebSocketClientEventTarget}: start from {@link #builder(URI)}; every builder method
 * validates its value at once.
 *
 * @param uri the hub's WebSocket endpoint, {@code ws:} or {@code wss:}, e.g. {@code ws://localhost:8080/fanout}
 * @param headers the headers sent with every opening handshake, such as {@code Authorization}
 * @param reconnectBaseDelay the backoff base: attempt <i>n</i> after a loss waits a random delay in
 *     {@code [0, min(reconnectMaxDelay, reconnectBaseDelay × 2^(n−1))]} ("full jitter")
 * @param reconnectMaxDelay the cap of the backoff delay; a connection that stays open this long resets the attempts
 * @param connectTimeout how long one opening handshake may take before the attempt counts as failed
 * @param ackTimeout how long a subscribe or unsubscribe written to the hub may wait for its {@code __ack} or
 *     {@code __error} before its future fails with {@link AckTimeoutException}
 * @param maxQueuedEvents the most events {@link WebSocketClientEventTarget#dispatchEvent} keeps waiting to be written
 *     (while disconnected, or behind a slow network); beyond it events are rejected and counted
 * @param maxInboundMessageSize the largest message, in chars, accepted from the hub; a larger one closes the
 *     connection with 1009 and the client reconnects
 * @param jsonMapper the mapper that serializes outbound payloads and parses inbound events
 * @param httpClient the HTTP client to open connections with (for TLS, proxy or executor settings), or {@code null}
 *     for one the client creates
 */
public record WebSocketClientOptions(URI uri, Map<String, String> headers, Duration reconnectBaseDelay,
        Duration reconnectMaxDelay, Duration connectTimeout, Duration ackTimeout, int maxQueuedEvents,
        int maxInboundMessageSize, ObjectMapper jsonMapper, @Nullable HttpClient httpClient) {

    /** Default {@link #reconnectBaseDelay()}: 500 ms, as the browser client. */
    public static final Duration DEFAULT_RECONNECT_BASE_DELAY = Duration.ofMillis(500);

    /** Default {@link #reconnectMaxDelay()}: 30 s, as the browser client. */
    public static final Duration DEFAULT_RECONNECT_MAX_DELAY = Duration.ofSeconds(30);

    /** Default {@link #connectTimeout()}: 10 s, as the browser client. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** Default {@link #ackTimeout()}: 10 s. */
    public static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofSeconds(10);

    /** Default {@link #maxQueuedEvents()}. */
    public static final int DEFAULT_MAX_QUEUED_EVENTS = 1024;

    /** Default {@link #maxInboundMessageSize()}: 1 Mi chars, the hub's default backpressure threshold. */
    public static final int DEFAULT_MAX_INBOUND_MESSAGE_SIZE = 1024 * 1024;

    /** Handshake headers the JDK client sets itself and refuses to take from an application. */
    private static final Set<String> RESTRICTED_HEADERS = Set.of("connection", "content-length", "expect", "host",
            "upgrade", "sec-websocket-accept", "sec-websocket-extensions", "sec-websocket-key",
            "sec-websocket-protocol", "sec-websocket-version");

    /**
     * Validates the options; prefer {@link #builder(URI)}.
     *
     * @throws IllegalArgumentException if the URI is not an absolute {@code ws:}/{@code wss:} URI, a header is
     *     restricted or malformed, a duration is not positive, the max delay is below the base delay, or a limit is not
     *     positive
     * @throws NullPointerException if a required value is {@code null}
     */
    public WebSocketClientOptions {
        requireWebSocketUri(uri);
        headers = copyOfValidHeaders(headers);
        requirePositive("reconnectBaseDelay", reconnectBaseDelay);
        requirePositive("reconnectMaxDelay", reconnectMaxDelay);
        if (reconnectMaxDelay.compareTo(reconnectBaseDelay) < 0) {
            throw new IllegalArgumentException("reconnectMaxDelay (" + reconnectMaxDelay
                    + ") must not be below reconnectBaseDelay (" + reconnectBaseDelay + ")");
        }
        requirePositive("connectTimeout", connectTimeout);
        requirePositive("ackTimeout", ackTimeout);
        requirePositive("maxQueuedEvents", maxQueuedEvents);
        requirePositive("maxInboundMessageSize", maxInboundMessageSize);
        Objects.requireNonNull(jsonMapper, "jsonMapper");
    }

    /**
     * A builder for a hub endpoint, starting from the defaults.
     *
     * @param uri the hub's WebSocket endpoint, {@code ws:} or {@code wss:}
     * @return a new builder
     * @throws IllegalArgumentException if the URI is not an absolute {@code ws:}/{@code wss:} URI
     */
    public static Builder builder(URI uri) {
        return new Builder(uri);
    }

    /**
     * The default options for a hub endpoint.
     *
     * @param uri the hub's WebSocket endpoint, {@code ws:} or {@code wss:}
     * @return the options
     * @throws IllegalArgumentException if the URI is not an absolute {@code ws:}/{@code wss:} URI
     */
    public static WebSocketClientOptions of(URI uri) {
        return builder(uri).build();
    }

    /**
     * A builder that starts from these options, to change some of them.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        return new Builder(this);
    }

    private static void requireWebSocketUri(URI uri) {
        Objects.requireNonNull(uri, "uri");
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("ws") || scheme.equals("wss")) || uri.getHost() == null) {
            throw new IllegalArgumentException("uri must be an absolute ws: or wss: URI with a host, was " + uri);
        }
        if (uri.getFragment() != null) {
            throw new IllegalArgumentException("uri must not have a fragment, was " + uri);
        }
    }

    private static Map<String, String> copyOfValidHeaders(Map<String, String> headers) {
        Objects.requireNonNull(headers, "headers");
        Map<String, String> copy = new LinkedHashMap<>();
        headers.forEach((name, value) -> {
            requireValidHeader(name, value);
            copy.put(name, value);
        });
        return Map.copyOf(copy);
    }

    private static void requireValidHeader(String name, String value) {
        Objects.requireNonNull(name, "header name");
        Objects.requireNonNull(value, "value of header " + name);
        if (name.isEmpty() || !name.chars().allMatch(WebSocketClientOptions::isTokenChar)) {
            throw new IllegalArgumentException("Not a valid header name: '" + name + "'");
        }
        if (RESTRICTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("Header " + name + " is set by the WebSocket handshake itself");
        }
        if (value.chars().anyMatch((c) -> c == '\r' || c == '\n' || c == 0)) {
            throw new IllegalArgumentException("Value of header " + name + " must not contain CR, LF or NUL");
        }
    }

    private static boolean isTokenChar(int c) {
        return c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
    }

    private static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    /**
     * Builds {@link WebSocketClientOptions}; each method validates its argument at once. Not thread-safe.
     */
    public static final class Builder {

        private final URI uri;

        private final Map<String, String> headers = new LinkedHashMap<>();

        private Duration reconnectBaseDelay = DEFAULT_RECONNECT_BASE_DELAY;

        private Duration reconnectMaxDelay = DEFAULT_RECONNECT_MAX_DELAY;

        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;

        private Duration ackTimeout = DEFAULT_ACK_TIMEOUT;

        private int maxQueuedEvents = DEFAULT_MAX_QUEUED_EVENTS;

        private int maxInboundMessageSize = DEFAULT_MAX_INBOUND_MESSAGE_SIZE;

        private ObjectMapper jsonMapper;

        private @Nullable HttpClient httpClient;

        private Builder(URI uri) {
            requireWebSocketUri(uri);
            this.uri = uri;
            this.jsonMapper = JsonMapper.builder().build();
        }

        private Builder(WebSocketClientOptions options) {
            this.uri = options.uri();
            this.headers.putAll(options.headers());
            this.reconnectBaseDelay = options.reconnectBaseDelay();
            this.reconnectMaxDelay = options.reconnectMaxDelay();
            this.connectTimeout = options.connectTimeout();
            this.ackTimeout = options.ackTimeout();
            this.maxQueuedEvents = options.maxQueuedEvents();
            this.maxInboundMessageSize = options.maxInboundMessageSize();
            this.jsonMapper = options.jsonMapper();
            this.httpClient = options.httpClient();
        }

        /**
         * Adds a header to every opening handshake, replacing a previous value of the same name.
         *
         * @param name the header name, e.g. {@code Authorization}
         * @param value the value
         * @return this builder
         * @throws IllegalArgumentException if the name is not a valid header name, is one the handshake sets itself
         *     ({@code Host}, {@code Upgrade}, {@code Sec-WebSocket-*} …), or the value contains CR, LF or NUL
         */
        public Builder header(String name, String value) {
            requireValidHeader(name, value);
            this.headers.put(name, value);
            return this;
        }

        /**
         * Sets the backoff base and cap.
         *
         * @param base the delay cap of the first attempt, positive
         * @param max the cap of every attempt, at least {@code base}
         * @return this builder
         * @throws IllegalArgumentException if a delay is not positive or {@code max} is below {@code base}
         */
        public Builder reconnectDelay(Duration base, Duration max) {
            requirePositive("reconnectBaseDelay", base);
            requirePositive("reconnectMaxDelay", max);
            if (max.compareTo(base) < 0) {
                throw new IllegalArgumentException(
                        "reconnectMaxDelay (" + max + ") must not be below reconnectBaseDelay (" + base + ")");
            }
            this.reconnectBaseDelay = base;
            this.reconnectMaxDelay = max;
            return this;
        }

        /**
         * Sets how long one opening handshake may take.
         *
         * @param timeout the timeout, positive
         * @return this builder
         * @throws IllegalArgumentException if {@code timeout} is not positive
         */
        public Builder connectTimeout(Duration timeout) {
            requirePositive("connectTimeout", timeout);
            this.connectTimeout = timeout;
            return this;
        }

        /**
         * Sets how long a written subscribe or unsubscribe may wait for the hub's reply.
         *
         * @param timeout the timeout, positive
         * @return this builder
         * @throws IllegalArgumentException if {@code timeout} is not positive
         */
        public Builder ackTimeout(Duration timeout) {
            requirePositive("ackTimeout", timeout);
            this.ackTimeout = timeout;
            return this;
        }

        /**
         * Sets the most events kept waiting to be written.
         *
         * @param count the limit, positive
         * @return this builder
         * @throws IllegalArgumentException if {@code count} is not positive
         */
        public Builder maxQueuedEvents(int count) {
            requirePositive("maxQueuedEvents", count);
            this.maxQueuedEvents = count;
            return this;
        }

        /**
         * Sets the largest message, in chars, accepted from the hub.
         *
         * @param chars the limit, positive
         * @return this builder
         * @throws IllegalArgumentException if {@code chars} is not positive
         */
        public Builder maxInboundMessageSize(int chars) {
            requirePositive("maxInboundMessageSize", chars);
            this.maxInboundMessageSize = chars;
            return this;
        }

        /**
         * Sets the mapper that serializes outbound payloads and parses inbound events.
         *
         * @param mapper the mapper
         * @return this builder
         */
        public Builder jsonMapper(ObjectMapper mapper) {
            this.jsonMapper = Objects.requireNonNull(mapper, "jsonMapper");
            return this;
        }

        /**
         * Sets the HTTP client to open connections with.
         *
         * @param client the client, or {@code null} for one the client creates
         * @return this builder
         */
        public Builder httpClient(@Nullable HttpClient client) {
            this.httpClient = client;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the immutable options
         */
        public WebSocketClientOptions build() {
            return new WebSocketClientOptions(this.uri, this.headers, this.reconnectBaseDelay, this.reconnectMaxDelay,
                    this.connectTimeout, this.ackTimeout, this.maxQueuedEvents, this.maxInboundMessageSize,
                    this.jsonMapper, this.httpClient);
        }
    }
}
