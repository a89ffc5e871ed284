package dev.fanout.benchmarks.load.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;

/**
 * Writes the port the server listens on to the file named by {@code bench.port-file}, atomically, once the server
 * is up: the runner starts each server on port 0 and waits for this file.
 */
final class PortFileWriter implements ApplicationListener<WebServerInitializedEvent> {

    private final String portFile;

    PortFileWriter(@Value("${bench.port-file:}") String portFile) {
        this.portFile = portFile;
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        if (this.portFile.isEmpty()) {
            return;
        }
        Path target = Path.of(this.portFile);
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            Files.writeString(temporary, Integer.toString(event.getWebServer().getPort()));
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot write the port file " + target, ex);
        }
    }
}
