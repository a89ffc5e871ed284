package dev.fanout.benchmarks.load.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The server under test as the client observes it: CPU time and memory from {@code /proc/<pid>}, heap from its
 * {@code /bench/memory} endpoint, the hub's closes from {@code /bench/hub/closes}. A pid of 0 means "this process" (used for the client's own CPU time).
 */
final class ServerProcess {

    private final long pid;

    private final int port;

    private final long clockTicksPerSecond;

    private final HttpClient http = HttpClient.newHttpClient();

    private final JsonMapper json = JsonMapper.builder().build();

    ServerProcess(long pid, int port, long clockTicksPerSecond) {
        this.pid = pid;
        this.port = port;
        this.clockTicksPerSecond = clockTicksPerSecond;
    }

    static ServerProcess self(long clockTicksPerSecond) {
        return new ServerProcess(ProcessHandle.current().pid(), 0, clockTicksPerSecond);
    }

    /** User plus system CPU seconds the process has used so far. */
    double cpuSeconds() throws IOException {
        return userCpuSeconds() + systemCpuSeconds();
    }

    /** CPU seconds the process has used so far in user mode (utime). */
    double userCpuSeconds() throws IOException {
        return statTicks(11) / (double) this.clockTicksPerSecond;
    }

    /** CPU seconds the kernel has spent on the process's behalf so far (stime: system calls, the TCP stack). */
    double systemCpuSeconds() throws IOException {
        return statTicks(12) / (double) this.clockTicksPerSecond;
    }

    /**
     * CPU seconds used so far by the process's live threads, user and system, summed by thread name with its digits
     * folded ({@code fanout-send-3} and {@code fanout-send-7} are {@code fanout-send-N}; the kernel keeps 15
     * characters of a name). Threads that ended are not in it.
     *
     * @return {name: [user seconds, system seconds]}
     */
    Map<String, double[]> cpuSecondsByThread() throws IOException {
        Map<String, double[]> byName = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + this.pid + "/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                }
                catch (IOException ex) {
                    continue;
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+", "N");
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                double[] seconds = byName.computeIfAbsent(name, (key) -> new double[2]);
                seconds[0] += Long.parseLong(fields[11]) / (double) this.clockTicksPerSecond;
                seconds[1] += Long.parseLong(fields[12]) / (double) this.clockTicksPerSecond;
            }
        }
        return byName;
    }

    private long statTicks(int indexAfterName) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + this.pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[indexAfterName]);
    }

    /** Peak resident set size in MiB (VmHWM). */
    double peakRssMib() throws IOException {
        return statusKib("VmHWM:") / 1024.0;
    }

    /** Resident set size now in MiB (VmRSS). */
    double rssMib() throws IOException {
        return statusKib("VmRSS:") / 1024.0;
    }

    /** Heap figures in bytes: heapUsed, heapCommitted, heapPeak (see the server's MemoryController). */
    Map<String, Long> heap(boolean collectGarbageFirst) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + this.port + "/bench/memory?gc=" + collectGarbageFirst))
                .timeout(Duration.ofSeconds(60))
                .build();
        HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET /bench/memory answered " + response.statusCode());
        }
        return this.json.readValue(response.body(), new TypeReference<Map<String, Long>>() { });
    }

    /**
     * How many connections the hub closed, by close code ({@code "1013"}, …, {@code "other"}; see its
     * {@code /bench/hub/closes} endpoint): the hub's own count, which also covers the spokes whose close frame never
     * reached the client. Empty for a server without that endpoint (STOMP).
     */
    Map<String, Long> hubClosesByCode() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/bench/hub/closes"))
                .timeout(Duration.ofSeconds(60))
                .build();
        HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return Map.of();
        }
        if (response.statusCode() != 200) {
            throw new IOException("GET /bench/hub/closes answered " + response.statusCode());
        }
        return this.json.readValue(response.body(), new TypeReference<Map<String, Long>>() { });
    }

    private long statusKib(String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + this.pid + "/status"))) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
            }
        }
        throw new IOException(key + " not in /proc/" + this.pid + "/status");
    }
}
