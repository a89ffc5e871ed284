package dev.fanout.client;

/**
 * The hub answered a request with {@code __error}: {@code {"type":"__error","id":…,"payload":{"topic":…,"code":…,
 * "message":…}}} (protocol 1.1). {@link #code()} is the stable, machine-readable reason, one of
 * {@link dev.fanout.ErrorCodes} (such as {@code forbidden}) or a code the hub's application chose.
 */
public final class HubErrorException extends FanoutClientException {

    private static final long serialVersionUID = 1L;

    private final String code;

    private final String hubMessage;

    /**
     * Creates the exception for one {@code __error} reply.
     *
     * @param topic the topic of the refused request
     * @param code the error code, such as {@link dev.fanout.ErrorCodes#FORBIDDEN}
     * @param hubMessage the hub's text for people, possibly empty
     */
    public HubErrorException(String topic, String code, String hubMessage) {
        super(topic, "Hub refused '" + topic + "': " + code + (hubMessage.isEmpty() ? "" : " (" + hubMessage + ")"));
        this.code = code;
        this.hubMessage = hubMessage;
    }

    /**
     * The error code the hub sent.
     *
     * @return the code, such as {@code forbidden}
     */
    public String code() {
        return this.code;
    }

    /**
     * The hub's explanation, for people; never parse it.
     *
     * @return the message, possibly empty
     */
    public String hubMessage() {
        return this.hubMessage;
    }
}
