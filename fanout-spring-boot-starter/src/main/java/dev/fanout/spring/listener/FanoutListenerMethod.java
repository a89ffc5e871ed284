package dev.fanout.spring.listener;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.ReflectionUtils;
import tools.jackson.core.type.TypeReference;

import dev.fanout.Event;
import dev.fanout.SpokeEventTarget;
import dev.fanout.TypedEventTarget;

/**
 * One {@link FanoutListener @FanoutListener} method bound to its bean: turns a spoke's event into the method's
 * arguments and calls it. Immutable and thread-safe.
 */
final class FanoutListenerMethod {

    private static final Logger logger = LoggerFactory.getLogger(FanoutListenerMethod.class);

    private final String type;

    private final Object bean;

    private final Method method;

    private final ArgumentResolver[] resolvers;

    FanoutListenerMethod(String type, Object bean, Method method) {
        if (type.isEmpty()) {
            throw new IllegalArgumentException("@FanoutListener on " + method + " needs a non-empty event type");
        }
        this.type = type;
        this.bean = bean;
        this.method = method;
        ReflectionUtils.makeAccessible(method);
        Class<?>[] parameterTypes = method.getParameterTypes();
        Type[] genericTypes = method.getGenericParameterTypes();
        this.resolvers = new ArgumentResolver[parameterTypes.length];
        for (int i = 0; i < parameterTypes.length; i++) {
            this.resolvers[i] = resolverFor(parameterTypes[i], genericTypes[i]);
        }
    }

    String type() {
        return this.type;
    }

    void invoke(Event event, SpokeEventTarget sender) {
        Object[] arguments = new Object[this.resolvers.length];
        try {
            for (int i = 0; i < arguments.length; i++) {
                arguments[i] = this.resolvers[i].resolve(event, sender);
            }
        }
        catch (IllegalArgumentException ex) {
            logger.warn("Skipped {} for a '{}' event: {}", this, event.type(), ex.getMessage());
            return;
        }
        try {
            this.method.invoke(this.bean, arguments);
        }
        catch (InvocationTargetException ex) {
            logger.warn("{} threw on a '{}' event; the connection stays", this, event.type(), ex.getTargetException());
        }
        catch (IllegalAccessException ex) {
            logger.warn("Could not call {}", this, ex);
        }
    }

    private static ArgumentResolver resolverFor(Class<?> parameterType, Type genericType) {
        if (parameterType == Event.class) {
            return (event, sender) -> event;
        }
        if (parameterType == SpokeEventTarget.class || parameterType == TypedEventTarget.class) {
            return (event, sender) -> sender;
        }
        TypeReference<Object> payloadType = new TypeReference<>() {
            @Override
            public Type getType() {
                return genericType;
            }
        };
        return (event, sender) -> event.payloadAs(payloadType);
    }

    @Override
    public String toString() {
        return "@FanoutListener(\"" + this.type + "\") " + this.method.getDeclaringClass().getSimpleName() + "."
                + this.method.getName();
    }

    @FunctionalInterface
    private interface ArgumentResolver {

        @Nullable Object resolve(Event event, SpokeEventTarget sender);
    }
}
