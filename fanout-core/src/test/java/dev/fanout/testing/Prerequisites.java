package dev.fanout.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The policy for tests that need an outside program (redis-server, Chromium, Node): when it is missing, a CI run
 * (environment variable {@code CI=true}) fails, saying what to install, so that a green CI run means every test ran;
 * elsewhere the test is skipped with a warning on the console.
 */
public final class Prerequisites {

    private Prerequisites() {
    }

    /**
     * Fails or skips the calling test unless the program is present.
     *
     * @param present whether the program was found
     * @param what what is missing, e.g. {@code "redis-server"}
     * @param install how to install it, e.g. {@code "apt-get install -y redis-server"}
     */
    public static void require(boolean present, String what, String install) {
        if (present) {
            return;
        }
        String message = what + " is not installed; run `" + install + "` (.ci/run does)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail("CI=true and " + message);
        }
        System.err.println("WARNING: skipping a test: " + message);
        Assumptions.abort("Skipped: " + message);
    }

    /**
     * The first of the candidates that is an executable file.
     *
     * @param candidates absolute paths; {@code null} or blank ones (unset environment variables) are passed over
     * @return the first executable one
     */
    public static Optional<String> firstExecutable(@Nullable String... candidates) {
        return Stream.of(candidates)
            .filter((candidate) -> candidate != null && !candidate.isBlank())
            .filter((candidate) -> Files.isExecutable(Path.of(candidate)))
            .findFirst();
    }
}
