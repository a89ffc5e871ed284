package dev.fanout.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.fanout.testing.Prerequisites;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the unit tests of {@code /fanout/client.js} ({@code src/test/js}, Node's built-in test runner against a
 * scripted WebSocket) as part of the Maven build. Without {@code node} it fails under {@code CI=true} and is skipped
 * with a warning otherwise ({@link Prerequisites}); the browser test covers the same module against the real hub.
 */
class BrowserClientScriptTests {

    private static final Path TESTS = Path.of("src", "test", "js");

    @Test
    void browserClientUnitTestsPassUnderNode() throws IOException, InterruptedException {
        Prerequisites.require(nodeAvailable(), "Node.js (node), for the unit tests of client.js",
                "apt-get install -y nodejs");
        Path output = Files.createTempFile("client-js-tests", ".txt");
        Process node = new ProcessBuilder("node", "--test", TESTS.toString())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        boolean finished = node.waitFor(120, TimeUnit.SECONDS);
        if (!finished) {
            node.destroyForcibly();
        }
        String report = Files.readString(output, StandardCharsets.UTF_8);
        Files.deleteIfExists(output);

        assertThat(finished).as("node --test finished in time:%n%s", report).isTrue();
        assertThat(node.exitValue()).as("node --test exit code:%n%s", report).isZero();
        assertThat(report).contains("# fail 0").doesNotContain("# pass 0");
    }

    private static boolean nodeAvailable() {
        try {
            Process probe = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            return probe.waitFor(20, TimeUnit.SECONDS) && probe.exitValue() == 0;
        }
        catch (IOException ex) {
            return false;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
