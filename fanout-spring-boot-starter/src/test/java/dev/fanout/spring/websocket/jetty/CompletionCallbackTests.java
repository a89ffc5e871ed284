package dev.fanout.spring.websocket.jetty;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import dev.fanout.spring.websocket.AsyncEndpoint.Completion;

import static org.assertj.core.api.Assertions.assertThat;

class CompletionCallbackTests {

    private final List<@Nullable Throwable> outcomes = new ArrayList<>();

    private final Completion completion = this.outcomes::add;

    @Test
    void callbackTellsTheCompletionNullForASuccessAndTheFailureForAFailureEveryTimeItIsUsed() {
        CompletionCallback callback = new CompletionCallback(this.completion);
        IOException failure = new IOException("reset");
        callback.succeeded();
        callback.failed(failure);
        callback.succeeded();
        assertThat(this.outcomes).containsExactly(null, failure, null);
    }

    @Test
    void callbackTellsOnlyTheCompletionItWasMadeFor() {
        CompletionCallback callback = new CompletionCallback(this.completion);
        assertThat(callback.tells(this.completion)).isTrue();
        assertThat(callback.tells((failure) -> {
        })).isFalse();
    }
}
