package dev.fanout.spring.autoconfigure;

import dev.fanout.WebSocketServerOptions;

/**
 * Adjusts the options of the auto-configured hub before it is built: declare beans of this type to set callbacks or
 * a JSON mapper, or to override what the {@code fanout.*} properties set. Customizers run in
 * {@link org.springframework.core.Ordered order}, after the properties were applied. Callbacks they set are kept: the
 * starter's application-event bridge runs after them.
 */
@FunctionalInterface
public interface FanoutCustomizer {

    /**
     * Customizes the options.
     *
     * @param builder the builder, already holding the values of the {@code fanout.*} properties
     */
    void customize(WebSocketServerOptions.Builder builder);
}
