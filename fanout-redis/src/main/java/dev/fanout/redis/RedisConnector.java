package dev.fanout.redis;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's Lettuce client and how it opens and closes {@link RedisLink}s. The client has Lettuce's own reconnect
 * (and with it its own resubscription) off, speaks RESP2 (so Redis classes the subscribing connection as a pub/sub
 * client for {@code client-output-buffer-limit pubsub} and {@code CLIENT KILL TYPE pubsub}), and lets commands wait
 * without timeout (a timed-out PUBLISH would free its buffer permit while its bytes still sit in the socket). Without
 * shared {@link ClientResources} in the options, it creates its own (two I/O threads) and shuts them down.
 *
 * <p>Thread-safe.
 */
final class RedisConnector implements ConnectionLifecycle.Connector<RedisLink> {

    private static final Logger logger = LoggerFactory.getLogger(RedisBroker.class);

    private final RedisBrokerOptions options;

    private final ReceiveCodec receiveCodec;

    private final PublishCodec publishCodec;

    private final @Nullable ClientResources ownResources;

    private final RedisClient client;

    RedisConnector(RedisBrokerOptions options, ReceiveCodec receiveCodec, PublishCodec publishCodec) {
        this.options = options;
        this.receiveCodec = receiveCodec;
        this.publishCodec = publishCodec;
        ClientResources shared = options.clientResources();
        this.ownResources = (shared != null) ? null
                : DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(1).build();
        this.client = RedisClient.create((shared != null) ? shared : this.ownResources, options.redisUri());
        this.client.setOptions(clientOptions(options));
    }

    /** The client, for the history store's own connection. */
    RedisClient client() {
        return this.client;
    }

    /**
     * Tells of every connection of this client that Lettuce closed, ours or not, on Lettuce's thread.
     *
     * @param onDisconnected called with the closed connection
     */
    void onDisconnected(Consumer<RedisChannelHandler<?, ?>> onDisconnected) {
        this.client.addListener(new RedisConnectionStateListener() {

            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                onDisconnected.accept(connection);
            }
        });
    }

    @Override
    public CompletionStage<RedisLink> open() {
        CompletableFuture<StatefulRedisPubSubConnection<String, ReceiveCodec.Received>> subscribing = this.client
            .connectPubSubAsync(this.receiveCodec, this.options.redisUri())
            .toCompletableFuture();
        CompletableFuture<StatefulRedisConnection<String, String>> publishing = this.client
            .connectAsync(this.publishCodec, this.options.redisUri())
            .toCompletableFuture();
        return CompletableFuture.allOf(subscribing, publishing).handle((ignored, failure) -> {
            if (failure != null) {
                closeQuietly(successOf(subscribing));
                closeQuietly(successOf(publishing));
                throw (failure instanceof CompletionException completion) ? completion : new CompletionException(failure);
            }
            return new RedisLink(subscribing.join(), publishing.join());
        });
    }

    @Override
    public boolean isOpen(RedisLink link) {
        return link.isOpen();
    }

    @Override
    public boolean owns(RedisLink link, Object connection) {
        return link.owns(connection);
    }

    @Override
    public void close(RedisLink link) {
        closeQuietly(link.subscribing());
        closeQuietly(link.publishing());
    }

    /**
     * Unsubscribes from every channel and closes both connections, waiting for each at most the timeout; failures are
     * logged at DEBUG.
     */
    void closeGracefully(RedisLink link, Duration timeout) {
        try {
            link.subscribing().async().unsubscribe().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (ExecutionException | TimeoutException | RuntimeException ex) {
            logger.debug("UNSUBSCRIBE on close failed", ex);
        }
        try {
            CompletableFuture.allOf(closeQuietly(link.subscribing()), closeQuietly(link.publishing()))
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (ExecutionException | TimeoutException ex) {
            logger.debug("Closing the Redis connections did not finish in time", ex);
        }
    }

    /** Shuts the client down, and the client resources if it created them. */
    void shutdown(Duration timeout) {
        this.client.shutdown(Duration.ZERO, timeout);
        if (this.ownResources != null) {
            this.ownResources.shutdown(0, timeout.toMillis(), TimeUnit.MILLISECONDS).awaitUninterruptibly();
        }
    }

    /** Where this client connects: host and port, for the log. */
    String address() {
        return this.options.redisUri().getHost() + ":" + this.options.redisUri().getPort();
    }

    private static <T> @Nullable T successOf(CompletableFuture<T> future) {
        return (future.isDone() && !future.isCompletedExceptionally()) ? future.join() : null;
    }

    private static CompletableFuture<Void> closeQuietly(@Nullable StatefulConnection<?, ?> connection) {
        if (connection == null) {
            return CompletableFuture.completedFuture(null);
        }
        try {
            return connection.closeAsync();
        }
        catch (RuntimeException ex) {
            logger.debug("Closing a Redis connection failed", ex);
            return CompletableFuture.completedFuture(null);
        }
    }

    private static ClientOptions clientOptions(RedisBrokerOptions options) {
        ClientOptions.Builder builder = ClientOptions.builder()
            .autoReconnect(false)
            .protocolVersion(ProtocolVersion.RESP2)
            .timeoutOptions(TimeoutOptions.builder().timeoutCommands(false).build())
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .socketOptions(SocketOptions.builder()
                .connectTimeout(options.redisUri().getTimeout())
                .keepAlive(true)
                .build());
        if (options.sslOptions() != null) {
            builder.sslOptions(options.sslOptions());
        }
        return builder.build();
    }
}
