package dev.fanout.client.endtoend;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;

import dev.fanout.spring.event.SpokeDisconnectedEvent;

/**
 * The hub the client's end-to-end tests connect to: the starter with its defaults, plus a recorder of the close codes
 * of disconnected spokes.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class HubApplication {

    @Bean
    Disconnections disconnections() {
        return new Disconnections();
    }

    /** The close code of every spoke that disconnected, in order. */
    static final class Disconnections {

        final List<Integer> codes = new CopyOnWriteArrayList<>();

        @EventListener
        void on(SpokeDisconnectedEvent event) {
            this.codes.add(event.getCloseStatus().getCode());
        }
    }
}
