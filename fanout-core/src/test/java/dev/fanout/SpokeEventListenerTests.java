package dev.fanout;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import dev.fanout.testing.InMemoryRawSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SpokeEventListenerTests {

    private final WebSocketServerEventTarget hub = WebSocketServerEventTarget.create();

    private final InMemoryRawSocket alice = new InMemoryRawSocket("alice");

    private final InMemoryRawSocket bob = new InMemoryRawSocket("bob");

    @Test
    void aSpokeEventListenerOnTheHubIsToldWhichSpokeSentEachEvent() {
        SpokeEventTarget aliceSpoke = this.hub.addConnection(this.alice);
        SpokeEventTarget bobSpoke = this.hub.addConnection(this.bob);
        List<SpokeEventTarget> senders = new CopyOnWriteArrayList<>();
        this.hub.addSpokeEventListener("chat", (event, from) -> senders.add(from));

        this.alice.receiveText(Frames.event("chat", "hi"));
        this.bob.receiveText(Frames.event("chat", "hello"));

        assertThat(senders).containsExactly(aliceSpoke, bobSpoke);
    }

    @Test
    void aSpokeEventListenerCanAnswerTheSenderAlone() {
        this.hub.addConnection(this.alice);
        this.hub.addConnection(this.bob);
        this.hub.addSpokeEventListener("ping", (event, from) -> from.dispatchEvent(Event.of("pong")));

        this.alice.receiveText(Frames.event("ping", null));

        assertThat(this.alice.sentMessages()).containsExactly("{\"type\":\"pong\"}");
        assertThat(this.bob.sentMessages()).isEmpty();
    }

    @Test
    void hubListenersOfBothKindsRunInRegistrationOrderAfterTheSpokesOwnListeners() {
        SpokeEventTarget spoke = this.hub.addConnection(this.alice);
        List<String> calls = new CopyOnWriteArrayList<>();
        this.hub.addSpokeEventListener("chat", (event, from) -> calls.add("hub-spoke-1"));
        this.hub.addEventListener("chat", (event) -> calls.add("hub-plain"));
        this.hub.addSpokeEventListener("chat", (event, from) -> calls.add("hub-spoke-2"));
        spoke.addEventListener("chat", (event) -> calls.add("spoke"));

        this.alice.receiveText(Frames.event("chat", "hi"));

        assertThat(calls).containsExactly("spoke", "hub-spoke-1", "hub-plain", "hub-spoke-2");
    }

    @Test
    void registeringTheSameSpokeEventListenerTwiceForATypeRegistersItOnce() {
        this.hub.addConnection(this.alice);
        List<String> calls = new CopyOnWriteArrayList<>();
        SpokeEventListener listener = (event, from) -> calls.add(event.type());
        this.hub.addSpokeEventListener("chat", listener);
        this.hub.addSpokeEventListener("chat", listener);

        this.alice.receiveText(Frames.event("chat", "hi"));

        assertThat(calls).containsExactly("chat");
    }

    @Test
    void aRemovedSpokeEventListenerReceivesNothingFurther() {
        this.hub.addConnection(this.alice);
        List<String> calls = new CopyOnWriteArrayList<>();
        SpokeEventListener removedByMethod = (event, from) -> calls.add("by-method");
        ListenerRegistration byHandle = this.hub.addSpokeEventListener("chat", (event, from) -> calls.add("by-handle"));
        this.hub.addSpokeEventListener("chat", removedByMethod);

        boolean removed = this.hub.removeSpokeEventListener("chat", removedByMethod);
        byHandle.remove();
        this.alice.receiveText(Frames.event("chat", "hi"));

        assertThat(removed).isTrue();
        assertThat(this.hub.removeSpokeEventListener("chat", removedByMethod)).isFalse();
        assertThat(calls).isEmpty();
    }

    @Test
    void aSpokeEventListenerThatThrowsDoesNotStopTheOthersNorCloseTheConnection() {
        SpokeEventTarget spoke = this.hub.addConnection(this.alice);
        List<String> calls = new CopyOnWriteArrayList<>();
        this.hub.addSpokeEventListener("chat", (event, from) -> {
            throw new IllegalStateException("listener bug");
        });
        this.hub.addSpokeEventListener("chat", (event, from) -> calls.add("second"));

        this.alice.receiveText(Frames.event("chat", "hi"));

        assertThat(calls).containsExactly("second");
        assertThat(spoke.isConnected()).isTrue();
        assertThat(this.alice.isOpen()).isTrue();
    }

    @Test
    void aSpokeEventListenerForAnEmptyTypeIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> this.hub.addSpokeEventListener("", (event, from) -> {
        }));
    }
}
