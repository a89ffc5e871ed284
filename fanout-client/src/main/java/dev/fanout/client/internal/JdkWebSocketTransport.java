package dev.fanout.client.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;

import dev.fanout.CloseCodes;

/**
 * A {@link Transport} over the JDK's {@link WebSocket}. Messages arrive in parts and are joined here; the next
 * message is requested only when the client calls {@link Transport.Channel#requestNext()}, so a client that has not
 * finished with a message stops the JDK from reading the socket (TCP then pushes back on the hub).
 */
final class JdkWebSocketTransport implements Transport {

    private static final int ABNORMAL_CLOSURE = 1006;

    private static final Duration CLOSE_HANDSHAKE_GRACE = Duration.ofSeconds(5);

    private final HttpClient httpClient;

    private final URI uri;

    private final Map<String, String> headers;

    private final Duration connectTimeout;

    private final int maxMessageChars;

    JdkWebSocketTransport(HttpClient httpClient, URI uri, Map<String, String> headers, Duration connectTimeout,
            int maxMessageChars) {
        this.httpClient = httpClient;
        this.uri = uri;
        this.headers = headers;
        this.connectTimeout = connectTimeout;
        this.maxMessageChars = maxMessageChars;
    }

    @Override
    public CompletableFuture<Channel> open(ChannelListener listener) {
        JdkChannel channel = new JdkChannel(listener, this.maxMessageChars);
        WebSocket.Builder builder = this.httpClient.newWebSocketBuilder().connectTimeout(this.connectTimeout);
        this.headers.forEach(builder::header);
        return builder.buildAsync(this.uri, channel).handle((webSocket, error) -> {
            if (error != null) {
                throw new CompletionException(describe(error), error);
            }
            return channel;
        });
    }

    private static String describe(Throwable error) {
        Throwable cause = (error instanceof CompletionException && error.getCause() != null) ? error.getCause() : error;
        if (cause instanceof WebSocketHandshakeException handshake) {
            return "handshake refused with HTTP " + handshake.getResponse().statusCode();
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    /**
     * One JDK WebSocket: the channel the client writes to and the JDK listener that feeds the client's listener.
     * The JDK calls the listener methods sequentially; {@code webSocket} is set in {@code onOpen}, which comes first.
     */
    private static final class JdkChannel implements Channel, WebSocket.Listener {

        private final ChannelListener listener;

        private final int maxMessageChars;

        private final StringBuilder partial = new StringBuilder();

        private final AtomicBoolean closeReported = new AtomicBoolean();

        private volatile @Nullable WebSocket webSocket;

        JdkChannel(ChannelListener listener, int maxMessageChars) {
            this.listener = listener;
            this.maxMessageChars = maxMessageChars;
        }

        @Override
        public CompletableFuture<?> send(String text) {
            return webSocket().sendText(text, true);
        }

        @Override
        public void requestNext() {
            webSocket().request(1);
        }

        @Override
        public void close(int code, String reason) {
            WebSocket socket = webSocket();
            try {
                socket.sendClose(code, reason)
                    .orTimeout(CLOSE_HANDSHAKE_GRACE.toMillis(), TimeUnit.MILLISECONDS)
                    .whenComplete((ignored, error) -> {
                        if (error != null) {
                            socket.abort();
                        }
                    });
            }
            catch (RuntimeException ex) {
                socket.abort();
            }
            CompletableFuture.delayedExecutor(CLOSE_HANDSHAKE_GRACE.toMillis(), TimeUnit.MILLISECONDS)
                .execute(socket::abort);
        }

        @Override
        public void abort() {
            webSocket().abort();
            reportClose(ABNORMAL_CLOSURE, "aborted");
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            this.webSocket = webSocket;
        }

        @Override
        public @Nullable CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            if (this.partial.length() + data.length() > this.maxMessageChars) {
                this.partial.setLength(0);
                String reason = "inbound message over " + this.maxMessageChars + " chars";
                webSocket.sendClose(CloseCodes.MESSAGE_TOO_BIG, reason);
                webSocket.abort();
                reportClose(CloseCodes.MESSAGE_TOO_BIG, reason);
                return null;
            }
            this.partial.append(data);
            if (!last) {
                webSocket.request(1);
                return null;
            }
            String message = this.partial.toString();
            this.partial.setLength(0);
            this.listener.onMessage(message);
            return null;
        }

        @Override
        public @Nullable CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            // The hub sends text only (docs/protocol.md): a binary message is skipped, part by part.
            webSocket.request(1);
            return null;
        }

        @Override
        public @Nullable CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            webSocket.request(1);
            return null;
        }

        @Override
        public @Nullable CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            webSocket.request(1);
            return null;
        }

        @Override
        public @Nullable CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            reportClose(statusCode, reason);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            reportClose(ABNORMAL_CLOSURE, describe(error));
        }

        private void reportClose(int code, String reason) {
            if (this.closeReported.compareAndSet(false, true)) {
                this.listener.onClose(code, reason);
            }
        }

        private WebSocket webSocket() {
            WebSocket socket = this.webSocket;
            if (socket == null) {
                throw new IllegalStateException("not open yet");
            }
            return socket;
        }
    }
}
