package dev.fanout.sample;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.fanout.redis.testing.RedisServer;

/**
 * The README's "Run two nodes" for tests: a real {@code redis-server} and the sample application started several
 * times on free ports, clustered with {@code fanout.broker.type=redis} (the price feed off). Not thread-safe.
 */
final class SampleCluster implements AutoCloseable {

    private final RedisServer redis;

    private final List<ConfigurableApplicationContext> nodes = new ArrayList<>();

    private SampleCluster(int size) {
        this.redis = RedisServer.start();
        for (int i = 0; i < size; i++) {
            this.nodes.add(new SpringApplicationBuilder(SampleApplication.class)
                .run("--server.port=0", "--sample.feed.enabled=false", "--fanout.broker.type=redis",
                        "--spring.data.redis.host=127.0.0.1", "--spring.data.redis.port=" + this.redis.port()));
        }
    }

    /** Starts Redis and the nodes. */
    static SampleCluster start(int size) {
        return new SampleCluster(size);
    }

    RedisServer redis() {
        return this.redis;
    }

    /** The HTTP port of a node, counting from 0. */
    int port(int node) {
        return ((WebServerApplicationContext) this.nodes.get(node)).getWebServer().getPort();
    }

    @Override
    public void close() {
        this.nodes.forEach(ConfigurableApplicationContext::close);
        this.redis.close();
    }
}
