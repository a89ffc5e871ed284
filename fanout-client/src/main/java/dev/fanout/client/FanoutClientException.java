package dev.fanout.client;

/**
 * Why a future returned by {@link WebSocketClientEventTarget#subscribe} or
 * {@link WebSocketClientEventTarget#unsubscribe} failed: the hub refused ({@link HubErrorException}), did not answer
 * in time ({@link AckTimeoutException}), or the client was closed first ({@link ClientClosedException}).
 */
public abstract sealed class FanoutClientException extends RuntimeException
        permits HubErrorException, AckTimeoutException, ClientClosedException {

    private static final long serialVersionUID = 1L;

    private final String topic;

    FanoutClientException(String topic, String message) {
        super(message);
        this.topic = topic;
    }

    /**
     * The topic of the request that failed.
     *
     * @return the topic
     */
    public String topic() {
        return this.topic;
    }
}
