package dev.fanout.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * The immutable options of a {@link RedisHistoryStore}: start from {@link #defaults()}; every {@code with*} method
 * validates its value at once.
 *
 * @param keyPrefix the first part of every key: topic {@code t} keeps its entries in {@code <prefix>{t}:stream} and
 *     its epoch and latest offset in {@code <prefix>{t}:meta} (see {@link RedisHistoryStore}). Nodes of one cluster
 *     share it; clusters sharing a Redis need different ones
 * @param metaTtl how long a topic's epoch and latest offset outlive its last append or read (never less than the
 *     time to live of its rule): while they are kept, a spoke that missed nothing recovers even after its entries
 *     expired, and the epoch stays the same; once they expire, the topic starts a new epoch
 * @param readTimeout how long a recovery waits for Redis, and then for this node's live delivery to reach what it read,
 *     before it gives up and answers {@code recovered:false}; also the most a gap repair's read may take
 * @param gapRepairMaxHeldBack the most live events of one topic a node holds back while it reads a gap in them from
 *     the stream (see {@link RedisHistoryStore}); past it the node delivers them without the gap, which it counts as
 *     lost. Size it above the events a topic gets per read timeout
 * @param gapRepairBatchSize the most entries one read of a gap repair asks for; a longer gap is read batch by batch
 */
public record RedisHistoryOptions(String keyPrefix, Duration metaTtl, Duration readTimeout, int gapRepairMaxHeldBack,
        int gapRepairBatchSize) {

    /** Default {@link #keyPrefix()}. */
    public static final String DEFAULT_KEY_PREFIX = "fanout:history:";

    /** Default {@link #metaTtl()}. */
    public static final Duration DEFAULT_META_TTL = Duration.ofDays(1);

    /** Default {@link #readTimeout()}. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(5);

    /** Default {@link #gapRepairMaxHeldBack()}. */
    public static final int DEFAULT_GAP_REPAIR_MAX_HELD_BACK = 10_000;

    /** Default {@link #gapRepairBatchSize()}. */
    public static final int DEFAULT_GAP_REPAIR_BATCH_SIZE = 1_000;

    /**
     * Validates the options.
     *
     * @throws IllegalArgumentException if the prefix is empty or holds whitespace or controls, or a duration or a
     *     bound is not positive
     * @throws NullPointerException if an argument is {@code null}
     */
    public RedisHistoryOptions {
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        if (keyPrefix.isEmpty()
                || keyPrefix.chars().anyMatch((c) -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new IllegalArgumentException("keyPrefix must be non-empty, without whitespace, was '" + keyPrefix
                    + "'");
        }
        requirePositive("metaTtl", metaTtl);
        requirePositive("readTimeout", readTimeout);
        requirePositive("gapRepairMaxHeldBack", gapRepairMaxHeldBack);
        requirePositive("gapRepairBatchSize", gapRepairBatchSize);
    }

    /**
     * Options with the default bounds of the gap repair.
     *
     * @param keyPrefix see {@link #keyPrefix()}
     * @param metaTtl see {@link #metaTtl()}
     * @param readTimeout see {@link #readTimeout()}
     * @throws IllegalArgumentException as the canonical constructor
     * @throws NullPointerException if an argument is {@code null}
     */
    public RedisHistoryOptions(String keyPrefix, Duration metaTtl, Duration readTimeout) {
        this(keyPrefix, metaTtl, readTimeout, DEFAULT_GAP_REPAIR_MAX_HELD_BACK, DEFAULT_GAP_REPAIR_BATCH_SIZE);
    }

    /**
     * The default options.
     *
     * @return {@link #DEFAULT_KEY_PREFIX}, {@link #DEFAULT_META_TTL}, {@link #DEFAULT_READ_TIMEOUT},
     *     {@link #DEFAULT_GAP_REPAIR_MAX_HELD_BACK}, {@link #DEFAULT_GAP_REPAIR_BATCH_SIZE}
     */
    public static RedisHistoryOptions defaults() {
        return new RedisHistoryOptions(DEFAULT_KEY_PREFIX, DEFAULT_META_TTL, DEFAULT_READ_TIMEOUT);
    }

    /**
     * A copy with another key prefix.
     *
     * @param prefix non-empty, without whitespace
     * @return the copy
     * @throws IllegalArgumentException if the prefix is empty or holds whitespace
     */
    public RedisHistoryOptions withKeyPrefix(String prefix) {
        return new RedisHistoryOptions(prefix, this.metaTtl, this.readTimeout, this.gapRepairMaxHeldBack,
                this.gapRepairBatchSize);
    }

    /**
     * A copy with another time to live of the topics' epochs and offsets.
     *
     * @param ttl positive
     * @return the copy
     * @throws IllegalArgumentException if not positive
     */
    public RedisHistoryOptions withMetaTtl(Duration ttl) {
        return new RedisHistoryOptions(this.keyPrefix, ttl, this.readTimeout, this.gapRepairMaxHeldBack,
                this.gapRepairBatchSize);
    }

    /**
     * A copy with another read timeout.
     *
     * @param timeout positive
     * @return the copy
     * @throws IllegalArgumentException if not positive
     */
    public RedisHistoryOptions withReadTimeout(Duration timeout) {
        return new RedisHistoryOptions(this.keyPrefix, this.metaTtl, timeout, this.gapRepairMaxHeldBack,
                this.gapRepairBatchSize);
    }

    /**
     * A copy with other bounds of the gap repair.
     *
     * @param maxHeldBack the most live events of a topic held back while a gap is read, positive
     * @param batchSize the most entries one read asks for, positive
     * @return the copy
     * @throws IllegalArgumentException if a bound is not positive
     */
    public RedisHistoryOptions withGapRepair(int maxHeldBack, int batchSize) {
        return new RedisHistoryOptions(this.keyPrefix, this.metaTtl, this.readTimeout, maxHeldBack, batchSize);
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    private static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
