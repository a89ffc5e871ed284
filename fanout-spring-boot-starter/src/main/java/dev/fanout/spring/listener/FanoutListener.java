package dev.fanout.spring.listener;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of a Spring bean as a receiver of the events that spokes send with one type, in the manner of
 * {@code @EventListener} and {@code @MessageMapping}:
 *
 * <pre class="code">
 * &#64;FanoutListener("chat")
 * void onChat(ChatMessage message, SpokeEventTarget sender) { … }
 * </pre>
 *
 * <p>Each parameter is one of: the {@link dev.fanout.Event} itself; the {@link dev.fanout.SpokeEventTarget} (or
 * {@link dev.fanout.TypedEventTarget}) of the spoke that sent it, to answer that spoke alone; or any other type,
 * which receives the event's payload converted with the hub's JSON mapper. The return value is ignored.
 *
 * <p>The method runs on the container thread that received the message; calls for one spoke are sequential, calls
 * for different spokes may be concurrent. A payload that cannot be converted skips the call; a method that throws is
 * logged. Neither affects the connection.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface FanoutListener {

    /**
     * The event type (topic) to receive.
     *
     * @return the non-empty event type
     */
    String value();
}
