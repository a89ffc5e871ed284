package dev.fanout.benchmarks.load.server;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /bench/memory[?gc=true]}: the server's heap as the load client reports it. {@code heapPeak} is the sum
 * of the heap pools' peak usage since start (an upper bound of the true peak), {@code heapUsed} the heap in use now,
 * after two full collections when {@code gc=true}.
 */
@RestController
final class MemoryController {

    @GetMapping("/bench/memory")
    Map<String, Long> memory(@RequestParam(defaultValue = "false") boolean gc) {
        if (gc) {
            System.gc();
            System.gc();
        }
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        Map<String, Long> memory = new LinkedHashMap<>();
        memory.put("heapUsed", heap.getUsed());
        memory.put("heapCommitted", heap.getCommitted());
        memory.put("heapPeak", peak);
        return memory;
    }
}
