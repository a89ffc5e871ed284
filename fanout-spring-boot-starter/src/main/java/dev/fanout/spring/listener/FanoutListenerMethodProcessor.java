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

import dev.fanout.WebSocketServerEventTarget;

/**
 * Finds the {@link FanoutListener @FanoutListener} methods of the singleton beans once they are all created, and
 * registers each of them once on the application's hub bean, whichever that is, with
 * {@link WebSocketServerEventTarget#addSpokeEventListener}: the hub tells each call which spoke sent the event.
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
        if (!found.isEmpty()) {
            register(found);
        }
    }

    private void register(List<FanoutListenerMethod> found) {
        WebSocketServerEventTarget hub = this.beanFactory.getBeanProvider(WebSocketServerEventTarget.class)
            .getIfUnique();
        if (hub == null) {
            logger.warn("Found {} @FanoutListener methods but no single WebSocketServerEventTarget bean to register "
                    + "them on; they will not be called: {}", found.size(), found);
            return;
        }
        for (FanoutListenerMethod method : found) {
            hub.addSpokeEventListener(method.type(), method::invoke);
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
