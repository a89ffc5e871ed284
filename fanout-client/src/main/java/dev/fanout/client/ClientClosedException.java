package dev.fanout.client;

/**
 * The client was {@linkplain WebSocketClientEventTarget#close() closed} before the hub answered a request, or the
 * request was made after the close.
 */
public final class ClientClosedException extends FanoutClientException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param topic the topic of the request
     */
    public ClientClosedException(String topic) {
        super(topic, "Client closed before '" + topic + "' was acknowledged");
    }
}
