package dev.fanout.sample;

import java.security.Principal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SampleSecurityTests {

    private static final Principal ALICE = () -> "alice";

    @Test
    void aUserMayReadTheirOwnUserTopicsOnly() {
        assertThat(SampleSecurity.mayRead(ALICE, "user.alice.inbox")).isTrue();
        assertThat(SampleSecurity.mayRead(ALICE, "user.bob.inbox")).isFalse();
        assertThat(SampleSecurity.mayRead(ALICE, "user.alicex.inbox")).isFalse();
        assertThat(SampleSecurity.mayRead(ALICE, "user.alice")).isFalse();
    }

    @Test
    void anAnonymousSpokeMayReadNoUserTopicButEveryPublicOne() {
        assertThat(SampleSecurity.mayRead(null, "user.alice.inbox")).isFalse();
        assertThat(SampleSecurity.mayRead(null, "user..inbox")).isFalse();
        assertThat(SampleSecurity.mayRead(null, "prices.ACME")).isTrue();
        assertThat(SampleSecurity.mayRead(null, "chat")).isTrue();
    }
}
