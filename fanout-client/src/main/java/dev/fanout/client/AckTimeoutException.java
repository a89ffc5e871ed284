package dev.fanout.client;

import java.time.Duration;

/**
 * The hub did not answer a subscribe or unsubscribe within
 * {@link WebSocketClientOptions#ackTimeout()} of it being written, for example because it speaks protocol 1, which
 * never acknowledges. The request was sent nonetheless: a subscription stays registered and is restored after a
 * reconnect.
 */
public final class AckTimeoutException extends FanoutClientException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param topic the topic of the request
     * @param timeout the timeout that passed
     */
    public AckTimeoutException(String topic, Duration timeout) {
        super(topic, "No acknowledgement for '" + topic + "' within " + timeout);
    }
}
