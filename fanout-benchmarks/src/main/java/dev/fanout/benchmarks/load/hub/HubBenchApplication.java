package dev.fanout.benchmarks.load.hub;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

import dev.fanout.benchmarks.load.server.BenchServerSupport;

/**
 * The fanout server under test: the starter's auto-configured hub at {@code /fanout} with its defaults, plus
 * {@link RelayListener}.
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
        SpringApplication.run(HubBenchApplication.class, args);
    }
}
