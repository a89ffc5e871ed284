package dev.fanout.benchmarks.load.hub;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.fanout.HubStatistics;
import dev.fanout.HubStatistics.CloseCode;
import dev.fanout.WebSocketServerEventTarget;

/**
 * {@code GET /bench/hub/closes}: how many connections the hub has closed since it started, by close code
 * ({@link CloseCode#tagValue()}: {@code "1000"}, …, {@code "1013"}, {@code "other"}), from its
 * {@link HubStatistics}. The load client reads it after a run: a spoke that stopped reading never sees the 1013 the
 * hub sent it (the close frame waits behind what the kernel buffered), so only the hub can say how many it closed.
 */
@RestController
final class HubClosesController {

    private final WebSocketServerEventTarget hub;

    HubClosesController(WebSocketServerEventTarget hub) {
        this.hub = hub;
    }

    @GetMapping("/bench/hub/closes")
    Map<String, Long> closes() {
        HubStatistics statistics = this.hub.statistics();
        Map<String, Long> closes = new LinkedHashMap<>();
        for (CloseCode code : CloseCode.values()) {
            closes.put(code.tagValue(), statistics.spokesClosed(code));
        }
        return closes;
    }
}
