package dev.fanout.benchmarks.load.hub;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

import dev.fanout.benchmarks.load.server.BenchServerSupport;

/**
 * The fanout server under test: the starter's auto-configured hub at {@code /fanout} with its defaults, plus
 * {@link RelayListener}, except that the inbound rate limit is off ({@code fanout.inbound.rate-limit=0}): the
 * publisher is one trusted spoke that sends as fast as the hub reads it, far above the default limit of 500 messages
 * per second, which would drop most of its events. A command-line {@code --fanout.inbound.rate-limit=…} still wins.
 */
@SpringBootApplication
@Import(BenchServerSupport.class)
public class HubBenchApplication {

    /**
     * Starts the hub.
     *
     * @param args Spring Boot arguments, e.g. {@code --server.port=0 --bench.port-file=/tmp/port}
     */
    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(HubBenchApplication.class);
        application.setDefaultProperties(Map.of("fanout.inbound.rate-limit", "0"));
        application.run(args);
    }
}
