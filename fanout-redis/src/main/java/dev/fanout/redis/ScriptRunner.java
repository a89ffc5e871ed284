package dev.fanout.redis;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;

/**
 * Runs the history's Lua scripts: {@link #load} sends SCRIPT LOAD for each of them on a fresh connection, {@link #run}
 * sends EVALSHA and, if Redis lost the script (a SCRIPT FLUSH, a restart, a failover to a replica that never loaded
 * it), EVAL with the source. Neither waits.
 *
 * <p>Thread-safe.
 */
final class ScriptRunner {

    private final HistoryScripts scripts;

    ScriptRunner(HistoryScripts scripts) {
        this.scripts = scripts;
    }

    /** The scripts it runs. */
    HistoryScripts scripts() {
        return this.scripts;
    }

    /**
     * Loads every script on the connection.
     *
     * @param open a connection just opened
     * @return a stage completing with the connection once Redis loaded them; on failure it closes the connection and
     *     completes exceptionally
     */
    CompletableFuture<StatefulRedisConnection<String, String>> load(StatefulRedisConnection<String, String> open) {
        RedisAsyncCommands<String, String> commands = open.async();
        return CompletableFuture
            .allOf(commands.scriptLoad(this.scripts.append().source()).toCompletableFuture(),
                    commands.scriptLoad(this.scripts.read().source()).toCompletableFuture(),
                    commands.scriptLoad(this.scripts.range().source()).toCompletableFuture())
            .handle((done, failure) -> {
                if (failure != null) {
                    open.closeAsync();
                    throw new CompletionException(failure);
                }
                return open;
            });
    }

    /**
     * Runs a script by its digest, by its source if Redis does not know it.
     *
     * @param <T> the reply's type for {@code type}
     * @return a stage with Redis's reply, or failing with Redis's error
     */
    <T> CompletableFuture<T> run(StatefulRedisConnection<String, String> target, HistoryScripts.Script script,
            ScriptOutputType type, String[] keys, String[] args) {
        RedisAsyncCommands<String, String> commands = target.async();
        return commands.<T>evalsha(script.sha1(), type, keys, args)
            .toCompletableFuture()
            .handle((value, failure) -> {
                if (failure == null) {
                    return CompletableFuture.completedFuture(value);
                }
                if (isNoScript(failure)) {
                    return commands.<T>eval(script.source(), type, keys, args).toCompletableFuture();
                }
                return CompletableFuture.<T>failedFuture(failure);
            })
            .thenCompose(Function.identity());
    }

    /** Whether the failure is Redis's NOSCRIPT error, wrapped or not. */
    static boolean isNoScript(Throwable failure) {
        Throwable cause = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
                : failure;
        return cause instanceof RedisNoScriptException
                || (cause.getMessage() != null && cause.getMessage().startsWith("NOSCRIPT"));
    }
}
