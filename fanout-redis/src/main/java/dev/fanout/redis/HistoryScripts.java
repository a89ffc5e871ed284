package dev.fanout.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The Lua scripts of the {@link RedisHistoryStore}, read from the class path once, with the SHA-1 digests that
 * EVALSHA names them by. Immutable.
 *
 * @param append {@code history-append.lua}: offset, stream entry and PUBLISH in one atomic step
 * @param read {@code history-read.lua}: position and entries in one atomic step
 * @param range {@code history-range.lua}: position and the entries after an offset, oldest first, read-only, for
 *     {@link GapRepair}
 */
record HistoryScripts(Script append, Script read, Script range) {

    static HistoryScripts load() {
        return new HistoryScripts(Script.of("history-append.lua"), Script.of("history-read.lua"),
                Script.of("history-range.lua"));
    }

    /**
     * One script.
     *
     * @param source the Lua source
     * @param sha1 its digest, lower-case hex, as SCRIPT LOAD returns it
     */
    record Script(String source, String sha1) {

        static Script of(String resource) {
            try (InputStream in = Objects.requireNonNull(HistoryScripts.class.getResourceAsStream(resource),
                    resource)) {
                String source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                byte[] digest = MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
                return new Script(source, HexFormat.of().formatHex(digest));
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            catch (NoSuchAlgorithmException ex) {
                throw new IllegalStateException("SHA-1 is missing from this JVM", ex);
            }
        }
    }
}
