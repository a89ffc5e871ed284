package dev.fanout.benchmarks.load.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Prints the load client's result lines (a {@code results.jsonl}) as Markdown: for each scenario, each metric's
 * median per server and the fanout/STOMP ratio of every A/B pair, so a ratio always compares two runs taken back to
 * back. When the runs include {@code fanout-base} (the hub with an earlier starter) instead of STOMP, the ratios are
 * fanout/fanout-base: this tree's starter against the earlier one; when they include {@code fanout-jetty} (the hub on
 * Jetty 12), fanout-jetty/fanout: Jetty against Tomcat; when they include {@code fanout-metrics} (the hub with its
 * meters scraped), fanout-metrics/fanout: with metrics against without.
 */
public final class LoadSummary {

    private static final List<Metric> METRICS = List.of(
            new Metric("eventsPerSecond", "delivered events/s (healthy subscribers)", "%.0f"),
            new Metric("p50Ms", "latency p50 (ms)", "%.1f"),
            new Metric("p99Ms", "latency p99 (ms)", "%.1f"),
            new Metric("p999Ms", "latency p99.9 (ms)", "%.1f"),
            new Metric("maxMs", "latency max (ms)", "%.1f"),
            new Metric("lost", "lost deliveries (healthy)", "%.0f"),
            new Metric("duplicates", "duplicated deliveries", "%.0f"),
            new Metric("outOfOrder", "out-of-order deliveries", "%.0f"),
            new Metric("healthyClosed", "healthy subscribers closed", "%.0f"),
            new Metric("serverCpuMicrosPerDelivery", "server CPU per delivery (µs)", "%.2f"),
            new Metric("serverCpuSeconds", "server CPU (s)", "%.2f"),
            new Metric("serverSystemCpuShare", "server CPU share in the kernel (stime)", "%.2f"),
            new Metric("serverPeakRssMib", "server peak RSS (MiB)", "%.0f"),
            new Metric("serverHeapPeakMib", "server heap peak (MiB, pool peaks summed)", "%.0f"),
            new Metric("clientCpuMicrosPerDelivery", "client CPU per delivery (µs)", "%.2f"),
            new Metric("clientCpuSeconds", "client CPU (s)", "%.2f"),
            new Metric("durationSeconds", "first send to last delivery (s)", "%.2f"),
            new Metric("idleHeapPerConnectionKib", "idle: heap per connection (KiB)", "%.1f"),
            new Metric("idleRssPerConnectionKib", "idle: RSS per connection (KiB)", "%.1f"),
            new Metric("stalledDelivered", "stalled subscribers: events received", "%.0f"),
            new Metric("loadAverage", "machine load average (1 min) at start", "%.2f"));

    /** The server name of the hub run with an earlier starter, for before/after pairs. */
    static final String BASELINE = "fanout-base";

    /** The server name of the hub with its Micrometer meters bound and scraped, for with/without-metrics pairs. */
    static final String WITH_METRICS = "fanout-metrics";

    /** The server name of the hub run on Jetty 12 instead of Tomcat, for Jetty/Tomcat pairs. */
    static final String JETTY = "fanout-jetty";

    private LoadSummary() {
    }

    /**
     * Prints the summary of one results file.
     *
     * @param args the path of {@code results.jsonl}
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: LoadSummary results.jsonl");
            System.exit(2);
        }
        JsonMapper json = JsonMapper.builder().build();
        Map<String, List<JsonNode>> byScenario = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            if (!line.isBlank()) {
                JsonNode run = json.readTree(line);
                byScenario.computeIfAbsent(run.get("scenario").asString(), (key) -> new ArrayList<>()).add(run);
            }
        }
        StringBuilder out = new StringBuilder();
        byScenario.forEach((scenario, runs) -> appendScenario(out, scenario, runs));
        System.out.print(out);
    }

    private static void appendScenario(StringBuilder out, String scenario, List<JsonNode> runs) {
        Comparison comparison = Comparison.of(runs.stream().map((run) -> run.get("server").asString()).toList());
        Map<Integer, JsonNode> fanout = byPair(runs, comparison.subject());
        Map<Integer, JsonNode> stomp = byPair(runs, comparison.baseline());
        JsonNode first = runs.get(0);
        out.append(String.format(Locale.ROOT, "### %s: C=%d, S=%d B, M=%d, R=%s%s, %d pair(s)%n%n", scenario,
                first.get("subscribers").asInt(), first.get("payloadBytes").asInt(), first.get("events").asInt(),
                first.get("rate").asDouble() == 0 ? "max" : String.format(Locale.ROOT, "%.0f/s",
                        first.get("rate").asDouble()),
                first.get("stalledFraction").asDouble() > 0 ? String.format(Locale.ROOT, ", %.0f%% stalled",
                        100 * first.get("stalledFraction").asDouble()) : "",
                Math.max(fanout.size(), stomp.size())));
        out.append(comparison.header());
        out.append("|---|---:|---:|---|---:|\n");
        for (Metric metric : METRICS) {
            List<Double> a = values(fanout, metric.key());
            List<Double> b = values(stomp, metric.key());
            if (a.isEmpty() && b.isEmpty()) {
                continue;
            }
            List<Double> ratios = new ArrayList<>();
            List<String> ratioTexts = new ArrayList<>();
            for (Integer pair : fanout.keySet()) {
                JsonNode x = fanout.get(pair).get(metric.key());
                JsonNode y = stomp.containsKey(pair) ? stomp.get(pair).get(metric.key()) : null;
                if (x == null || y == null) {
                    continue;
                }
                if (y.asDouble() == 0) {
                    ratioTexts.add(x.asDouble() == 0 ? "=" : "–");
                    continue;
                }
                double ratio = x.asDouble() / y.asDouble();
                ratios.add(ratio);
                ratioTexts.add(String.format(Locale.ROOT, "%.2f", ratio));
            }
            out.append("| ").append(metric.label()).append(" | ").append(format(metric, a)).append(" | ")
                    .append(format(metric, b)).append(" | ").append(String.join(", ", ratioTexts)).append(" | ")
                    .append(ratios.isEmpty() ? "" : String.format(Locale.ROOT, "%.2f", median(ratios)))
                    .append(" |\n");
        }
        out.append("| complete (all healthy got all) | ").append(flags(fanout, "complete")).append(" | ")
                .append(flags(stomp, "complete")).append(" | | |\n");
        if (runs.stream().anyMatch((run) -> run.path("healthyClosed").asInt() > 0)) {
            out.append("| healthy subscribers' close codes (code:count) | ")
                    .append(closeCodes(fanout, "healthyCloseCodes")).append(" | ")
                    .append(closeCodes(stomp, "healthyCloseCodes")).append(" | | |\n");
        }
        if (first.get("stalledFraction").asDouble() > 0) {
            out.append("| stalled subscribers' close codes (code:count, 0 = still open) | ")
                    .append(closeCodes(fanout, "stalledCloseCodes")).append(" | ")
                    .append(closeCodes(stomp, "stalledCloseCodes")).append(" | | |\n");
        }
        out.append('\n');
    }

    private static Map<Integer, JsonNode> byPair(List<JsonNode> runs, String server) {
        Map<Integer, JsonNode> result = new TreeMap<>();
        for (JsonNode run : runs) {
            if (server.equals(run.get("server").asString())) {
                result.put(run.get("pair").asInt(), run);
            }
        }
        return result;
    }

    private static List<Double> values(Map<Integer, JsonNode> runs, String key) {
        return runs.values().stream().map((run) -> run.get(key)).filter((value) -> value != null && value.isNumber())
                .map(JsonNode::asDouble).collect(Collectors.toList());
    }

    private static String format(Metric metric, List<Double> values) {
        return values.isEmpty() ? "" : String.format(Locale.ROOT, metric.format(), median(values));
    }

    private static String flags(Map<Integer, JsonNode> runs, String key) {
        return runs.values().stream().map((run) -> run.path(key).asString()).collect(Collectors.joining(", "));
    }

    private static String closeCodes(Map<Integer, JsonNode> runs, String key) {
        return runs.values().stream().map((run) -> run.path(key).toString().replace("\"", ""))
                .collect(Collectors.joining(" / "));
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int middle = sorted.size() / 2;
        return (sorted.size() % 2 == 1) ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private record Metric(String key, String label, String format) {
    }

    /**
     * Which server of each pair is compared with which: fanout on Jetty against fanout on Tomcat when the runs include
     * {@value #JETTY}; this tree's starter against an earlier one when they include {@value #BASELINE}; the hub with
     * its metrics scraped against the hub without when they include {@value #WITH_METRICS}; else fanout against
     * STOMP.
     *
     * @param subject the server of the first column, the numerator of the ratios
     * @param baseline the server of the second column, the denominator
     * @param header the table's header row
     */
    record Comparison(String subject, String baseline, String header) {

        static Comparison of(List<String> servers) {
            if (servers.contains(JETTY)) {
                return new Comparison(JETTY, "fanout", "| metric | fanout on Jetty (median) | fanout on Tomcat (median) "
                        + "| Jetty/Tomcat, pair by pair | median ratio |\n");
            }
            if (servers.contains(BASELINE)) {
                return new Comparison("fanout", BASELINE, "| metric | fanout (median) | fanout-base (median) "
                        + "| fanout/fanout-base, pair by pair | median ratio |\n");
            }
            if (servers.contains(WITH_METRICS)) {
                return new Comparison(WITH_METRICS, "fanout", "| metric | with metrics (median) | without (median) "
                        + "| with/without, pair by pair | median ratio |\n");
            }
            return new Comparison("fanout", "stomp",
                    "| metric | fanout (median) | STOMP (median) | fanout/STOMP, pair by pair | median ratio |\n");
        }
    }
}
