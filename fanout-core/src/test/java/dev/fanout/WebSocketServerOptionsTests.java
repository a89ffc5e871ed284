package dev.fanout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

import dev.fanout.testing.InMemoryRawSocket;
import dev.fanout.testing.ManualTimeSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class WebSocketServerOptionsTests {

    @Test
    void theDefaultsAreTheDocumentedConstants() {
        WebSocketServerOptions defaults = WebSocketServerOptions.ofDefaults();

        assertThat(WebSocketServerOptions.DEFAULT_BACKPRESSURE_THRESHOLD).isEqualTo(1_048_576);
        assertThat(WebSocketServerOptions.DEFAULT_MAX_TOPIC_LENGTH).isEqualTo(256);
        assertThat(WebSocketServerOptions.DEFAULT_MAX_SUBSCRIPTIONS_PER_CONNECTION).isEqualTo(1024);
        assertThat(defaults.backpressureThreshold()).isEqualTo(WebSocketServerOptions.DEFAULT_BACKPRESSURE_THRESHOLD);
        assertThat(defaults.maxTopicLength()).isEqualTo(WebSocketServerOptions.DEFAULT_MAX_TOPIC_LENGTH);
        assertThat(defaults.maxSubscriptionsPerConnection())
            .isEqualTo(WebSocketServerOptions.DEFAULT_MAX_SUBSCRIPTIONS_PER_CONNECTION);
        assertThat(defaults.jsonMapper()).isNotNull();
        assertThat(defaults.onConnection()).isSameAs(WebSocketServerOptions.ConnectionCallback.NONE);
        assertThat(defaults.onDisconnection()).isSameAs(WebSocketServerOptions.ConnectionCallback.NONE);
        assertThat(defaults.onBackpressure()).isSameAs(WebSocketServerOptions.BackpressureCallback.NONE);
        assertThat(defaults.broker()).isSameAs(Broker.local());
        assertThat(defaults.onBrokerStateChange()).isSameAs(WebSocketServerOptions.BrokerStateCallback.NONE);
    }

    @ParameterizedTest(name = "{0}({1})")
    @MethodSource("nonPositiveLimits")
    void theBuilderRejectsANonPositiveLimitAtOnce(String limit, long value,
            Consumer<WebSocketServerOptions.Builder> setter) {
        WebSocketServerOptions.Builder builder = WebSocketServerOptions.builder();

        assertThatIllegalArgumentException().isThrownBy(() -> setter.accept(builder))
            .withMessageContaining(limit)
            .withMessageContaining(String.valueOf(value));
    }

    static Stream<Arguments> nonPositiveLimits() {
        return Stream.of(
                Arguments.of("backpressureThreshold", 0L,
                        (Consumer<WebSocketServerOptions.Builder>) (builder) -> builder.backpressureThreshold(0)),
                Arguments.of("backpressureThreshold", -1L,
                        (Consumer<WebSocketServerOptions.Builder>) (builder) -> builder.backpressureThreshold(-1)),
                Arguments.of("maxTopicLength", 0L,
                        (Consumer<WebSocketServerOptions.Builder>) (builder) -> builder.maxTopicLength(0)),
                Arguments.of("maxTopicLength", -5L,
                        (Consumer<WebSocketServerOptions.Builder>) (builder) -> builder.maxTopicLength(-5)),
                Arguments.of("maxSubscriptionsPerConnection", 0L,
                        (Consumer<WebSocketServerOptions.Builder>) (builder) -> builder
                            .maxSubscriptionsPerConnection(0)),
                Arguments.of("maxSubscriptionsPerConnection", (long) Integer.MIN_VALUE,
                        (Consumer<WebSocketServerOptions.Builder>) (builder) -> builder
                            .maxSubscriptionsPerConnection(Integer.MIN_VALUE)));
    }

    @Test
    void theCanonicalConstructorValidatesToo() {
        JsonMapper mapper = JsonMapper.builder().build();
        WebSocketServerOptions.ConnectionCallback none = WebSocketServerOptions.ConnectionCallback.NONE;
        WebSocketServerOptions.BackpressureCallback noBackpressure = WebSocketServerOptions.BackpressureCallback.NONE;
        Broker local = Broker.local();
        WebSocketServerOptions.BrokerStateCallback noState = WebSocketServerOptions.BrokerStateCallback.NONE;

        assertThatIllegalArgumentException()
            .isThrownBy(() -> new WebSocketServerOptions(0, 1, 1, mapper, none, none, noBackpressure, local, noState,
                    SubscriptionAuthorizer.ALLOW_ALL, WebSocketServerOptions.DEFAULT_AUTHORIZATION_TIMEOUT,
                    InboundRateLimit.unlimited(), TimeSource.system(), List.of()));
        assertThatIllegalArgumentException()
            .isThrownBy(() -> new WebSocketServerOptions(1, 0, 1, mapper, none, none, noBackpressure, local, noState,
                    SubscriptionAuthorizer.ALLOW_ALL, WebSocketServerOptions.DEFAULT_AUTHORIZATION_TIMEOUT,
                    InboundRateLimit.unlimited(), TimeSource.system(), List.of()));
        assertThatIllegalArgumentException()
            .isThrownBy(() -> new WebSocketServerOptions(1, 1, 0, mapper, none, none, noBackpressure, local, noState,
                    SubscriptionAuthorizer.ALLOW_ALL, WebSocketServerOptions.DEFAULT_AUTHORIZATION_TIMEOUT,
                    InboundRateLimit.unlimited(), TimeSource.system(), List.of()));
        assertThatNullPointerException()
            .isThrownBy(() -> new WebSocketServerOptions(1, 1, 1, null, none, none, noBackpressure, local, noState,
                    SubscriptionAuthorizer.ALLOW_ALL, WebSocketServerOptions.DEFAULT_AUTHORIZATION_TIMEOUT,
                    InboundRateLimit.unlimited(), TimeSource.system(), List.of()));
        assertThatNullPointerException()
            .isThrownBy(() -> new WebSocketServerOptions(1, 1, 1, mapper, none, none, null, local, noState,
                    SubscriptionAuthorizer.ALLOW_ALL, WebSocketServerOptions.DEFAULT_AUTHORIZATION_TIMEOUT,
                    InboundRateLimit.unlimited(), TimeSource.system(), List.of()));
        assertThatNullPointerException()
            .isThrownBy(() -> new WebSocketServerOptions(1, 1, 1, mapper, none, none, noBackpressure, null, noState,
                    SubscriptionAuthorizer.ALLOW_ALL, WebSocketServerOptions.DEFAULT_AUTHORIZATION_TIMEOUT,
                    InboundRateLimit.unlimited(), TimeSource.system(), List.of()));
        assertThatNullPointerException()
            .isThrownBy(() -> new WebSocketServerOptions(1, 1, 1, mapper, none, none, noBackpressure, local, null,
                    SubscriptionAuthorizer.ALLOW_ALL, WebSocketServerOptions.DEFAULT_AUTHORIZATION_TIMEOUT,
                    InboundRateLimit.unlimited(), TimeSource.system(), List.of()));
    }

    @Test
    void theBuilderRejectsNullMapperAndCallbacks() {
        WebSocketServerOptions.Builder builder = WebSocketServerOptions.builder();

        assertThatNullPointerException().isThrownBy(() -> builder.jsonMapper(null));
        assertThatNullPointerException().isThrownBy(() -> builder.onConnection(null));
        assertThatNullPointerException().isThrownBy(() -> builder.onDisconnection(null));
        assertThatNullPointerException().isThrownBy(() -> builder.onBackpressure(null));
        assertThatNullPointerException().isThrownBy(() -> builder.broker(null));
        assertThatNullPointerException().isThrownBy(() -> builder.onBrokerStateChange(null));
    }

    @Test
    void theBuilderSetsEveryOption() {
        JsonMapper mapper = JsonMapper.builder().build();
        WebSocketServerOptions.ConnectionCallback connected = (spoke, socket) -> {
        };
        WebSocketServerOptions.ConnectionCallback disconnected = (spoke, socket) -> {
        };
        WebSocketServerOptions.BackpressureCallback slow = (spoke, socket, bytes) -> {
        };
        Broker broker = Broker.local();
        WebSocketServerOptions.BrokerStateCallback stateChanged = (state) -> {
        };

        WebSocketServerOptions options = WebSocketServerOptions.builder()
            .backpressureThreshold(10)
            .maxTopicLength(20)
            .maxSubscriptionsPerConnection(30)
            .jsonMapper(mapper)
            .onConnection(connected)
            .onDisconnection(disconnected)
            .onBackpressure(slow)
            .broker(broker)
            .onBrokerStateChange(stateChanged)
            .build();

        assertThat(options).isEqualTo(new WebSocketServerOptions(10, 20, 30, mapper, connected, disconnected, slow,
                broker, stateChanged, SubscriptionAuthorizer.ALLOW_ALL, WebSocketServerOptions.DEFAULT_AUTHORIZATION_TIMEOUT,
                InboundRateLimit.unlimited(), TimeSource.system(), List.of()));
    }

    @Test
    void theBuilderSetsTheOptionsOfProtocol11AndToBuilderKeepsThem() {
        SubscriptionAuthorizer authorizer = SubscriptionAuthorizer.allowingWhen((spoke, topic) -> true);
        InboundRateLimit limit = InboundRateLimit.of(5, 10, Duration.ofSeconds(2));
        TimeSource time = new ManualTimeSource();

        WebSocketServerOptions options = WebSocketServerOptions.builder()
            .subscriptionAuthorizer(authorizer)
            .authorizationTimeout(Duration.ofMillis(250))
            .inboundRateLimit(limit)
            .timeSource(time)
            .build()
            .toBuilder()
            .build();

        assertThat(options.subscriptionAuthorizer()).isSameAs(authorizer);
        assertThat(options.authorizationTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(options.inboundRateLimit()).isEqualTo(limit);
        assertThat(options.timeSource()).isSameAs(time);
    }

    @Test
    void theDefaultsAllowEverySubscriptionAndLimitNothingInbound() {
        WebSocketServerOptions defaults = WebSocketServerOptions.ofDefaults();

        assertThat(defaults.subscriptionAuthorizer()).isSameAs(SubscriptionAuthorizer.ALLOW_ALL);
        assertThat(defaults.authorizationTimeout()).isEqualTo(WebSocketServerOptions.DEFAULT_AUTHORIZATION_TIMEOUT);
        assertThat(defaults.inboundRateLimit().isUnlimited()).isTrue();
        assertThat(defaults.timeSource()).isSameAs(TimeSource.system());
    }

    @Test
    void anAuthorizationTimeoutThatIsNotPositiveIsRejected() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> WebSocketServerOptions.builder().authorizationTimeout(Duration.ZERO));
        assertThatIllegalArgumentException()
            .isThrownBy(() -> WebSocketServerOptions.builder().authorizationTimeout(Duration.ofSeconds(-1)));
    }

    @Test
    void toBuilderStartsFromTheseOptionsAndLeavesThemUnchanged() {
        WebSocketServerOptions original = WebSocketServerOptions.builder().maxTopicLength(20).build();

        WebSocketServerOptions changed = original.toBuilder().backpressureThreshold(5).build();

        assertThat(changed.maxTopicLength()).isEqualTo(20);
        assertThat(changed.backpressureThreshold()).isEqualTo(5);
        assertThat(changed.jsonMapper()).isSameAs(original.jsonMapper());
        assertThat(original.backpressureThreshold()).isEqualTo(WebSocketServerOptions.DEFAULT_BACKPRESSURE_THRESHOLD);
    }

    @Test
    void combinedConnectionCallbacksRunInOrderEvenIfTheFirstThrows() {
        List<String> calls = new CopyOnWriteArrayList<>();
        WebSocketServerOptions.ConnectionCallback first = (spoke, socket) -> {
            calls.add("first");
            throw new IllegalStateException("first failed");
        };
        WebSocketServerOptions.ConnectionCallback combined = first.andThen((spoke, socket) -> calls.add("second"));

        assertThatIllegalStateException().isThrownBy(() -> combined.accept(null, new InMemoryRawSocket("s")));
        assertThat(calls).containsExactly("first", "second");
    }

    @Test
    void combinedBackpressureCallbacksRunInOrderEvenIfTheFirstThrows() {
        List<String> calls = new CopyOnWriteArrayList<>();
        WebSocketServerOptions.BackpressureCallback first = (spoke, socket, bytes) -> {
            calls.add("first " + bytes);
            throw new IllegalStateException("first failed");
        };
        WebSocketServerOptions.BackpressureCallback combined = first
            .andThen((spoke, socket, bytes) -> calls.add("second " + bytes));

        assertThatIllegalStateException().isThrownBy(() -> combined.accept(null, new InMemoryRawSocket("s"), 7));
        assertThat(calls).containsExactly("first 7", "second 7");
    }

    @Test
    void aHubUsesTheConfiguredLimits() {
        WebSocketServerEventTarget hub = WebSocketServerEventTarget.create(
                WebSocketServerOptions.builder().maxTopicLength(3).maxSubscriptionsPerConnection(1).build());
        InMemoryRawSocket socket = new InMemoryRawSocket("s");
        SpokeEventTarget spoke = hub.addConnection(socket);

        socket.receiveText(Frames.subscribe("long"));
        socket.receiveText(Frames.subscribe("abc"));
        socket.receiveText(Frames.subscribe("xyz"));

        assertThat(spoke.subscriptions()).containsExactly("abc");
    }
}
