package dev.fanout.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * Starts the sample app: the fanout hub at {@code /fanout}, the page at {@code /}, the API under {@code /api}.
 */
@SpringBootApplication
@EnableConfigurationProperties(SampleProperties.class)
public class SampleApplication {

    /**
     * Runs the app.
     *
     * @param args command-line arguments, e.g. {@code --server.port=9090 --sample.feed.enabled=false}
     */
    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}
