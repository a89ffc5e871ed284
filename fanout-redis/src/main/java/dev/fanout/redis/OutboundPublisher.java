package dev.fanout.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bounded buffer between the hub's dispatching threads and Redis: {@link #offer} takes a permit and queues the
 * frame without waiting, or drops and counts it when the buffer is full or Redis is down; one writer thread drains
 * the queue and pipelines the frames as PUBLISH commands on one connection, flushing once per batch. A permit is
 * given back when Redis replies (or the command fails), so the buffer bounds frames queued <em>and</em> in flight:
 * a paused Redis fills it, and later frames are dropped instead of piling up in memory.
 *
 * <p>Thread-safe. Frames offered by one thread are published in that order; Redis then delivers them to every
 * subscribing node in that order, because one connection carries them all.
 */
final class OutboundPublisher implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(RedisBroker.class);

    private static final int MAX_COMMANDS_PER_FLUSH = 512;

    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(5);

    private record Outbound(String topic, String frame) {
    }

    private final ChannelNames channels;

    private final int capacity;

    private final AtomicInteger outstanding = new AtomicInteger();

    private final LinkedTransferQueue<Outbound> queue = new LinkedTransferQueue<>();

    private final LongAdder published = new LongAdder();

    private final LongAdder dropped = new LongAdder();

    private final LongAdder failed = new LongAdder();

    private final BiConsumer<Long, @Nullable Throwable> onReply = this::replied;

    private final Thread writer;

    /** Written by the broker's control thread, read by dispatching threads and the writer: null while Redis is down. */
    private volatile @Nullable StatefulRedisConnection<String, String> connection;

    private volatile boolean closed;

    OutboundPublisher(ChannelNames channels, int capacity) {
        this.channels = channels;
        this.capacity = capacity;
        this.writer = new Thread(this::writeUntilClosed, "fanout-redis-publisher");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /**
     * Queues a frame for publishing, or drops it: never blocks.
     */
    void offer(String topic, String frame) {
        if (this.connection == null) {
            this.dropped.increment();
            return;
        }
        if (this.outstanding.incrementAndGet() > this.capacity) {
            this.outstanding.decrementAndGet();
            this.dropped.increment();
            return;
        }
        this.queue.offer(new Outbound(topic, frame));
    }

    /** Publishes through this connection from now on; the writer alone uses it, so it flushes by hand. */
    void connect(StatefulRedisConnection<String, String> connected) {
        connected.setAutoFlushCommands(false);
        this.connection = connected;
    }

    void disconnect() {
        this.connection = null;
    }

    long published() {
        return this.published.sum();
    }

    long dropped() {
        return this.dropped.sum();
    }

    long failed() {
        return this.failed.sum();
    }

    /** Frames queued or awaiting Redis's reply now. */
    int outstanding() {
        return this.outstanding.get();
    }

    @Override
    public void close() {
        this.closed = true;
        this.connection = null;
        this.writer.interrupt();
        try {
            this.writer.join(JOIN_TIMEOUT.toMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        dropQueued();
    }

    private void writeUntilClosed() {
        List<Outbound> batch = new ArrayList<>(MAX_COMMANDS_PER_FLUSH);
        while (!this.closed) {
            try {
                batch.add(this.queue.take());
            }
            catch (InterruptedException ex) {
                break;
            }
            this.queue.drainTo(batch, MAX_COMMANDS_PER_FLUSH - 1);
            write(batch);
            batch.clear();
        }
    }

    private void write(List<Outbound> batch) {
        StatefulRedisConnection<String, String> target = this.connection;
        if (target == null || !target.isOpen()) {
            this.outstanding.addAndGet(-batch.size());
            this.dropped.add(batch.size());
            return;
        }
        int handedOver = 0;
        try {
            RedisAsyncCommands<String, String> commands = target.async();
            for (Outbound outbound : batch) {
                commands.publish(this.channels.channelOf(outbound.topic()), outbound.frame()).whenComplete(this.onReply);
                handedOver++;
            }
            target.flushCommands();
        }
        catch (RuntimeException ex) {
            int notHandedOver = batch.size() - handedOver;
            this.outstanding.addAndGet(-notHandedOver);
            this.failed.add(notHandedOver);
            logger.debug("Publishing {} frames failed", notHandedOver, ex);
        }
    }

    private void replied(@Nullable Long receivers, @Nullable Throwable failure) {
        this.outstanding.decrementAndGet();
        if (failure == null) {
            this.published.increment();
        }
        else {
            this.failed.increment();
        }
    }

    private void dropQueued() {
        int count = 0;
        while (this.queue.poll() != null) {
            count++;
        }
        this.outstanding.addAndGet(-count);
        this.dropped.add(count);
    }
}
