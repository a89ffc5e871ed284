package dev.fanout.sample;

import java.security.Principal;

import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/me}: who the page's visitor is, so that the page can subscribe to that user's inbox.
 */
@RestController
public final class AccountController {

    /**
     * The signed-in user, if any.
     *
     * @param principal the request's user, {@code null} when anonymous
     * @return the account
     */
    @GetMapping("/api/me")
    public Account me(@Nullable Principal principal) {
        return (principal != null) ? new Account(principal.getName(), SampleSecurity.inboxOf(principal.getName()))
                : new Account(null, null);
    }

    /**
     * The visitor.
     *
     * @param user the username, or {@code null} when anonymous
     * @param inbox the user's private inbox topic, or {@code null} when anonymous
     */
    public record Account(@Nullable String user, @Nullable String inbox) {
    }
}
