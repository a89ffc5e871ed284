package dev.fanout.spring.listener;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;

import dev.fanout.RawSocket;
import dev.fanout.SpokeEventTarget;

/**
 * Finds the {@link FanoutListener @FanoutListener} methods of the singleton beans once they are all created, and
 * registers them as listeners on every spoke that connects: its {@link #attach} method fits the hub's
 * {@code onConnection} callback. Registering per spoke is what lets a method receive the sending spoke.
 *
 * <p>Thread-safe: the method list is published once, through a volatile field, before the web server accepts
 * connections.
 */
public final class FanoutListenerMethodProcessor implements SmartInitializingSingleton {

    private static final Logger logger = LoggerFactory.getLogger(FanoutListenerMethodProcessor.class);

    private final ConfigurableListableBeanFactory beanFactory;

    private volatile List<FanoutListenerMethod> methods = List.of();

    /**
     * Creates the processor.
     *
     * @param beanFactory the factory whose beans are searched
     */
    public FanoutListenerMethodProcessor(ConfigurableListableBeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public void afterSingletonsInstantiated() {
        List<FanoutListenerMethod> found = new ArrayList<>();
        for (String beanName : this.beanFactory.getBeanNamesForType(Object.class, false, false)) {
            if (ScopedProxyUtils.isScopedTarget(beanName)) {
                continue;
            }
            Class<?> type = this.beanFactory.getType(beanName, false);
            if (type == null) {
                continue;
            }
            Map<Method, FanoutListener> annotated = MethodIntrospector.selectMethods(type,
                    (MethodIntrospector.MetadataLookup<FanoutListener>) (method) -> AnnotatedElementUtils
                        .findMergedAnnotation(method, FanoutListener.class));
            if (annotated.isEmpty()) {
                continue;
            }
            Object bean = this.beanFactory.getBean(beanName);
            annotated.forEach((method, annotation) -> {
                Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
                found.add(new FanoutListenerMethod(annotation.value(), bean, invocable));
            });
        }
        this.methods = List.copyOf(found);
        logger.debug("Found {} @FanoutListener methods: {}", found.size(), found);
    }

    /**
     * Registers every {@code @FanoutListener} method on a spoke that just connected.
     *
     * @param spoke the spoke
     * @param socket its socket (unused)
     */
    public void attach(SpokeEventTarget spoke, RawSocket socket) {
        for (FanoutListenerMethod method : this.methods) {
            spoke.addEventListener(method.type(), method.listenerFor(spoke));
        }
    }

    /**
     * The number of {@code @FanoutListener} methods found.
     *
     * @return the method count
     */
    public int methodCount() {
        return this.methods.size();
    }
}
