/**
 * fanout-core: a framework-agnostic WebSocket fan-out hub.
 *
 * <p>Only {@code dev.fanout} is API; {@code dev.fanout.internal} is an implementation detail.
 */
module dev.fanout {
    requires transitive tools.jackson.databind;
    requires org.slf4j;
    requires static org.jspecify;

    exports dev.fanout;
}
