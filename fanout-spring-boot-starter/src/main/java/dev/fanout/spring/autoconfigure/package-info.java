/**
 * Spring Boot auto-configuration of the fanout hub: {@link dev.fanout.spring.autoconfigure.FanoutAutoConfiguration},
 * its {@link dev.fanout.spring.autoconfigure.FanoutProperties} and the
 * {@link dev.fanout.spring.autoconfigure.FanoutCustomizer} hook.
 */
@NullMarked
package dev.fanout.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;
