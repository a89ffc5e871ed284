/**
 * The hub in Spring Boot Actuator: the {@code fanout} health indicator and the {@code /actuator/fanout} endpoint;
 * used only when Actuator is on the class path.
 */
@NullMarked
package dev.fanout.spring.actuate;

import org.jspecify.annotations.NullMarked;
