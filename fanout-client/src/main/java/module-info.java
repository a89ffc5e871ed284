/**
 * fanout-client: the Java spoke of a fanout hub, over the JDK's {@code java.net.http.WebSocket}.
 *
 * <p>Only {@code dev.fanout.client} is API; {@code dev.fanout.client.internal} is an implementation detail.
 */
module dev.fanout.client {
    requires transitive dev.fanout;
    requires transitive java.net.http;
    requires transitive tools.jackson.databind;
    requires org.slf4j;
    requires static org.jspecify;

    exports dev.fanout.client;
}
