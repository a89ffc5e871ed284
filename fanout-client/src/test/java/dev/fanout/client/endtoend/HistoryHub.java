package dev.fanout.client.endtoend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A stand-in for the hub of issue 13 (history and recovery), which does not exist yet: one topic's events carry
 * {@code "offset":N}, the {@code __ack} carries {@code epoch}, {@code offset} and {@code recovered}, and a
 * {@code __subscribe} with {@code since} in the current epoch is answered by the missed events before the live ones.
 * It speaks the wire format issue 13 specifies, so that the client's side of recovery is tested over a real
 * connection now. It can refuse handshakes ("down") and lose its history (a new epoch). Thread-safe: one monitor.
 */
final class HistoryHub extends TextWebSocketHandler implements HandshakeInterceptor {

    private final JsonMapper mapper = JsonMapper.builder().build();

    private final Set<WebSocketSession> sessions = ConcurrentHashMap.newKeySet();

    private final List<String> history = new ArrayList<>();

    private final List<WebSocketSession> subscribers = new ArrayList<>();

    private String epoch = "epoch-1";

    private int epochs = 1;

    private volatile boolean down;

    synchronized void publish(String topic, String payload) {
        ObjectNode frame = this.mapper.createObjectNode();
        frame.put("type", topic);
        frame.put("payload", payload);
        frame.put("offset", this.history.size() + 1);
        String text = frame.toString();
        this.history.add(text);
        this.subscribers.forEach((session) -> send(session, text));
    }

    /** Back to a fresh hub: epoch 1, no history, accepting connections. */
    synchronized void reset() {
        this.epochs = 1;
        this.epoch = "epoch-1";
        this.history.clear();
        this.down = false;
    }

    synchronized void loseHistory() {
        this.epochs++;
        this.epoch = "epoch-" + this.epochs;
        this.history.clear();
    }

    void goDown() {
        this.down = true;
        this.sessions.forEach((session) -> {
            try {
                session.close(CloseStatus.GOING_AWAY);
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        });
    }

    void comeBack() {
        this.down = false;
    }

    int sessionCount() {
        return this.sessions.size();
    }

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
            Map<String, Object> attributes) {
        return !this.down;
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
            Exception exception) {
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
        this.sessions.add(session);
    }

    @Override
    public synchronized void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        this.sessions.remove(session);
        this.subscribers.remove(session);
    }

    @Override
    protected synchronized void handleTextMessage(WebSocketSession session, TextMessage message) {
        JsonNode request = this.mapper.readTree(message.getPayload());
        if (!"__subscribe".equals(request.path("type").asString())) {
            return;
        }
        JsonNode since = request.path("payload").path("since");
        boolean recovered = since.isObject() && this.epoch.equals(since.path("epoch").asString())
                && since.path("offset").asLong(-1) >= 0 && since.path("offset").asLong() <= this.history.size();
        ObjectNode ack = this.mapper.createObjectNode();
        ack.put("type", "__ack");
        ack.put("id", request.path("id").asString());
        ack.putObject("payload")
            .put("topic", request.path("payload").path("topic").asString())
            .put("epoch", this.epoch)
            .put("offset", this.history.size())
            .put("recovered", recovered);
        send(session, ack.toString());
        if (recovered) {
            this.history.subList((int) since.path("offset").asLong(), this.history.size())
                .forEach((frame) -> send(session, frame));
        }
        this.subscribers.add(session);
    }

    private static void send(WebSocketSession session, String text) {
        try {
            session.sendMessage(new TextMessage(text));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
