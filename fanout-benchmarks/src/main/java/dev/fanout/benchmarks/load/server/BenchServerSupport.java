package dev.fanout.benchmarks.load.server;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Imported by both servers under test: the port file and the memory endpoint, identical on each side.
 */
@Configuration(proxyBeanMethods = false)
@Import({ PortFileWriter.class, MemoryController.class })
public class BenchServerSupport {
}
