package dev.fanout.sample;

import java.security.Principal;

import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

import dev.fanout.SubscriptionAuthorizer;

/**
 * The sample's security: two in-memory demo users ({@code alice} and {@code bob}, password {@code demo}) who may sign
 * in with a form, while every page, the hub and the REST API stay open to anonymous visitors, as before.
 *
 * <p>The hub's rule: topics under {@code user.} are private, {@code user.<name>.…} only for the signed-in user of
 * that name; every other topic (prices, chat) is public. The REST publish API is the demo's way in for tools, so it
 * needs neither a login nor a CSRF token.
 */
@Configuration(proxyBeanMethods = false)
class SampleSecurity {

    /** The prefix of private per-user topics: {@code user.<username>.inbox}. */
    static final String USER_TOPIC_PREFIX = "user.";

    @Bean
    SecurityFilterChain sampleSecurityFilterChain(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
            .formLogin((form) -> form.defaultSuccessUrl("/", true))
            .logout((logout) -> logout.logoutSuccessUrl("/"))
            .csrf((csrf) -> csrf.ignoringRequestMatchers("/api/**"));
        return http.build();
    }

    @Bean
    UserDetailsService demoUsers() {
        return new InMemoryUserDetailsManager(
                User.withUsername("alice").password("{noop}demo").roles("USER").build(),
                User.withUsername("bob").password("{noop}demo").roles("USER").build());
    }

    @Bean
    SubscriptionAuthorizer ownInboxOnly() {
        return SubscriptionAuthorizer.allowingWhen((spoke, topic) -> mayRead(spoke.principal(), topic));
    }

    /**
     * Whether a user may subscribe to a topic: anyone to a public topic, only its owner to a {@code user.} topic.
     */
    static boolean mayRead(@Nullable Principal user, String topic) {
        if (!topic.startsWith(USER_TOPIC_PREFIX)) {
            return true;
        }
        return user != null && topic.startsWith(USER_TOPIC_PREFIX + user.getName() + ".");
    }

    /**
     * The private inbox topic of a user.
     */
    static String inboxOf(String username) {
        return USER_TOPIC_PREFIX + username + ".inbox";
    }
}
