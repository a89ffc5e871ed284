package dev.fanout.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.fanout.testing.Prerequisites;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs the unit tests of {@code /fanout/client.js} ({@code src/test/js}, Node's built-in test runner on mock timers
 * against a scripted WebSocket) as part of the Maven build. Without {@code node} it fails under {@code CI=true} and is
 * skipped with a warning otherwise ({@link Prerequisites}); the browser test covers the same module against the real hub.
 * A run that outlives its timeout is killed together with every process it started.
 */
class BrowserClientScriptTests {

    private static final Path TESTS = Path.of("src", "test", "js");

    /** The unit tests wait for no real time; this only bounds Node's start-up on a loaded machine. */
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void browserClientUnitTestsPassUnderNode() throws IOException, InterruptedException {
        requireNode();
        NodeRun run = runNode(TIMEOUT, "--test", TESTS.toString());

        assertThat(run.finished()).as("node --test finished within %s:%n%s", TIMEOUT, run.report()).isTrue();
        assertThat(run.exitCode()).as("node --test exit code:%n%s", run.report()).isZero();
        assertThat(run.report()).contains("# fail 0").doesNotContain("# pass 0");
    }

    @Test
    void aNodeRunThatOutlivesItsTimeoutIsKilledWithEveryProcessItStarted() throws IOException, InterruptedException {
        requireNode();
        String hangsWithAChild = "require('node:child_process').spawn(process.execPath,"
                + " ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' }); setInterval(() => {}, 1000);";

        NodeRun run = runNode(Duration.ofSeconds(8), "-e", hangsWithAChild);

        assertThat(run.finished()).isFalse();
        assertThat(run.killed()).as("the node process and its child").hasSizeGreaterThanOrEqualTo(2);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(run.killed()).noneMatch(ProcessHandle::isAlive));
    }

    private static NodeRun runNode(Duration timeout, String... arguments) throws IOException, InterruptedException {
        Path output = Files.createTempFile("client-js-tests", ".txt");
        try {
            List<String> command = new ArrayList<>(List.of("node"));
            command.addAll(List.of(arguments));
            Process node = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            boolean finished = node.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            List<ProcessHandle> killed = finished ? List.of() : killTree(node.toHandle());
            node.waitFor(10, TimeUnit.SECONDS);
            return new NodeRun(finished, finished ? node.exitValue() : -1,
                    Files.readString(output, StandardCharsets.UTF_8), killed);
        }
        finally {
            Files.deleteIfExists(output);
        }
    }

    private static List<ProcessHandle> killTree(ProcessHandle root) {
        List<ProcessHandle> tree = new ArrayList<>(root.descendants().toList());
        tree.add(root);
        tree.forEach(ProcessHandle::destroyForcibly);
        return List.copyOf(tree);
    }

    private static void requireNode() {
        Prerequisites.require(nodeAvailable(), "Node.js (node), for the unit tests of client.js",
                "apt-get install -y nodejs");
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

    private record NodeRun(boolean finished, int exitCode, String report, List<ProcessHandle> killed) {
    }
}
