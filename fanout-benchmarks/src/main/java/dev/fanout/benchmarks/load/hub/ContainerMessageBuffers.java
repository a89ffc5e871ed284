package dev.fanout.benchmarks.load.hub;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

/**
 * With {@code bench.container-message-buffer-size} set: the WebSocket container's default text and binary message
 * buffer sizes (which Tomcat allocates for every session before the endpoint sees it) set through Spring's
 * {@link ServletServerContainerFactoryBean}, the way an application whose only WebSocket endpoint is the hub could set
 * them. For the idle-memory measurements in docs/benchmarks.md; the hub takes messages in parts, so a small buffer does
 * not limit its message size.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("bench.container-message-buffer-size")
class ContainerMessageBuffers {

    @Bean
    ServletServerContainerFactoryBean benchServerContainer(
            @Value("${bench.container-message-buffer-size}") DataSize size) {
        ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
        container.setMaxTextMessageBufferSize((int) size.toBytes());
        container.setMaxBinaryMessageBufferSize((int) size.toBytes());
        return container;
    }
}
