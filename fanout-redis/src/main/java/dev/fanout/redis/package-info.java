/**
 * A cluster {@link dev.fanout.Broker} over Redis pub/sub: {@link dev.fanout.redis.RedisBroker}, configured by
 * {@link dev.fanout.redis.RedisBrokerOptions}. Framework-agnostic; the Spring Boot starter configures it from
 * {@code spring.data.redis.*} and {@code fanout.broker.redis.*}.
 */
@NullMarked
package dev.fanout.redis;

import org.jspecify.annotations.NullMarked;
