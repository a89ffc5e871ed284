package dev.fanout.spring.websocket;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.web.socket.CloseStatus;

import dev.fanout.RawSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class InboundDeliveryTests {

    private final InboundDelivery delivery = new InboundDelivery(100, "test");

    @Test
    void closeDuringADeliveryReturnsAtOnceAndIsDeliveredAfterTheMessageByTheDeliveringThread() throws Exception {
        CountDownLatch inListener = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> calls = new CopyOnWriteArrayList<>();
        this.delivery.setListener(new RawSocket.Listener() {

            @Override
            public void onText(String text) {
                inListener.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                calls.add("text " + text + " on " + Thread.currentThread().getName());
            }

            @Override
            public void onBinary(byte[] data) {
            }

            @Override
            public void onClose(int code, String reason) {
                calls.add("close " + code + " on " + Thread.currentThread().getName());
            }
        });
        Thread container = new Thread(() -> {
            try {
                this.delivery.text("hello", true);
            }
            catch (MessageAssembler.MessageTooBigException ex) {
                throw new IllegalStateException(ex);
            }
        }, "container");
        container.start();
        inListener.await(10, TimeUnit.SECONDS);
        assertThat(this.delivery.recordClose(CloseStatus.GOING_AWAY)).isTrue();
        this.delivery.deliverPendingClose();
        assertThat(calls).isEmpty();
        release.countDown();
        container.join(10_000);
        await().atMost(Duration.ofSeconds(10)).until(() -> calls.size() == 2);
        assertThat(calls).containsExactly("text hello on container", "close 1001 on container");
    }

    @Test
    void messagesAfterTheCloseAreDroppedAndTheCloseIsDeliveredOnce() throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        this.delivery.setListener(new RawSocket.Listener() {

            @Override
            public void onText(String text) {
                calls.add(text);
            }

            @Override
            public void onBinary(byte[] data) {
            }

            @Override
            public void onClose(int code, String reason) {
                calls.add("close " + code);
            }
        });
        this.delivery.recordClose(CloseStatus.NORMAL);
        this.delivery.deliverPendingClose();
        assertThat(this.delivery.recordClose(CloseStatus.SERVER_ERROR)).isFalse();
        this.delivery.deliverPendingClose();
        this.delivery.text("late", true);
        assertThat(calls).containsExactly("close 1000");
    }

    @Test
    void listenerThatThrowsIsLoggedAndLaterMessagesStillArrive() throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        this.delivery.setListener(new RawSocket.Listener() {

            @Override
            public void onText(String text) {
                calls.add(text);
                if (text.equals("boom")) {
                    throw new IllegalStateException("listener bug");
                }
            }

            @Override
            public void onBinary(byte[] data) {
            }

            @Override
            public void onClose(int code, String reason) {
            }
        });
        this.delivery.text("boom", true);
        this.delivery.text("next", true);
        assertThat(calls).containsExactly("boom", "next");
    }
}
