package dev.fanout.benchmarks.load.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Prints the load client's result lines (a {@code results.jsonl}) as Markdown: for each scenario, each metric's
 * median per server and the fanout/STOMP ratio of every A/B pair, so a ratio always compares two runs taken back to
 * back. When the runs include {@code fanout-base} (the hub with an earlier starter) instead of STOMP, the ratios are
 * fanout/fanout-base: this tree's starter against the earlier one; when they include {@code fanout-jetty} (the hub on
 * Jetty 12), fanout-jetty/fanout: Jetty against Tomcat; when they include {@code fanout-noflow} (the hub with flow
 * control off), fanout/fanout-noflow: flow control on against off; when they include {@code fanout-metrics} (the hub
 * with its meters scraped), fanout-metrics/fanout: with metrics against without. Each table also lists, run by run,
 * the healthy subscribers closed and the deliveries lost (a median hides the one run in five that closed a reader). A
 * scenario with stalled subscribers gets a second table against the same load without stalls ({@code slow} against
 * {@code slowbase}): the healthy subscribers' p99 of each pair, their ratio, and the stalled subscribers the hub
 * closed with 1013.
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
            new Metric("hubClosed1013", "closed with 1013 by the hub (its own count)", "%.0f"),
            new Metric("stalledClosed1013", "stalled subscribers closed with 1013 (hub's count)", "%.0f"),
            new Metric("publisherEventsPerSecond", "publisher's effective rate (events/s sent)", "%.0f"),
            new Metric("serverCpuMicrosPerDelivery", "server CPU per delivery (µs)", "%.2f"),
            new Metric("serverCpuSeconds", "server CPU (s)", "%.2f"),
            new Metric("serverSystemCpuShare", "server CPU share in the kernel (stime)", "%.2f"),
            new Metric("serverPeakRssMib", "server peak RSS (MiB, VmHWM: whole life)", "%.0f"),
            new Metric("serverMeasuredPeakRssMib", "server peak RSS in the measured phase (MiB, sampled)", "%.0f"),
            new Metric("serverHeapPeakMib", "server heap peak (MiB, pool peaks summed)", "%.0f"),
            new Metric("serverHeapCommittedMib", "server heap committed at the end (MiB)", "%.0f"),
            new Metric("clientCpuMicrosPerDelivery", "client CPU per delivery (µs)", "%.2f"),
            new Metric("clientCpuSeconds", "client CPU (s)", "%.2f"),
            new Metric("durationSeconds", "first send to last delivery (s)", "%.2f"),
            new Metric("idleHeapPerConnectionKib", "idle: heap per connection (KiB)", "%.1f"),
            new Metric("idleRssPerConnectionKib", "idle: RSS per connection (KiB)", "%.1f"),
            new Metric("stalledDelivered", "stalled subscribers: events received", "%.0f"),
            new Metric("loadAverage", "machine load average (1 min) at start", "%.2f"));

    /** What a scenario with stalls and its reference without share. */
    private static final List<String> SAME_LOAD = List.of("subscribers", "payloadBytes", "events", "rate");

    /** The server name of the hub run with an earlier starter, for before/after pairs. */
    static final String BASELINE = "fanout-base";

    /** The server name of this tree's hub with flow control off, for on/off pairs. */
    static final String NO_FLOW_CONTROL = "fanout-noflow";

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
        byScenario.forEach((scenario, runs) -> referenceOf(runs.get(0), byScenario)
                .ifPresent((reference) -> appendStalls(out, scenario, runs, reference, byScenario.get(reference))));
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
        out.append("| healthy subscribers closed / deliveries lost, run by run | ").append(closedAndLost(fanout))
                .append(" | ").append(closedAndLost(stomp)).append(" | | |\n");
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

    /**
     * The scenario a run with stalled subscribers is compared with: the first one with the same subscribers, payload,
     * events and rate and no stalls ({@code slowbase} for {@code slow}).
     */
    static Optional<String> referenceOf(JsonNode run, Map<String, List<JsonNode>> byScenario) {
        if (run.path("stalledFraction").asDouble() == 0) {
            return Optional.empty();
        }
        return byScenario.entrySet().stream().filter((entry) -> {
            JsonNode candidate = entry.getValue().get(0);
            return candidate.path("stalledFraction").asDouble() == 0
                    && SAME_LOAD.stream().allMatch((key) -> candidate.path(key).equals(run.path(key)));
        }).map(Map.Entry::getKey).findFirst();
    }

    /**
     * The healthy subscribers' p99 with stalls against the same load without, server by server and pair by pair
     * (pair n of one scenario against pair n of the other), and how many stalled subscribers the hub closed with 1013.
     */
    private static void appendStalls(StringBuilder out, String scenario, List<JsonNode> runs, String reference,
            List<JsonNode> referenceRuns) {
        out.append(String.format(Locale.ROOT, "### %s against %s: healthy subscribers' p99 with %.0f%% stalled%n%n",
                scenario, reference, 100 * runs.get(0).get("stalledFraction").asDouble()));
        out.append("| server | p99 without stalls (ms), run by run | p99 with stalls (ms), run by run "
                + "| with/without, pair by pair | median ratio | stalled closed with 1013 (hub's count), run by run "
                + "| healthy closed / lost with stalls, run by run |\n");
        out.append("|---|---|---|---|---:|---|---|\n");
        List<String> servers = runs.stream().map((run) -> run.get("server").asString()).distinct().toList();
        for (String server : servers) {
            Map<Integer, JsonNode> stalled = byPair(runs, server);
            Map<Integer, JsonNode> unstalled = byPair(referenceRuns, server);
            List<Double> ratios = new ArrayList<>();
            List<String> ratioTexts = new ArrayList<>();
            for (Map.Entry<Integer, JsonNode> pair : stalled.entrySet()) {
                JsonNode without = unstalled.get(pair.getKey());
                if (without != null && without.path("p99Ms").asDouble() > 0) {
                    double ratio = pair.getValue().path("p99Ms").asDouble() / without.path("p99Ms").asDouble();
                    ratios.add(ratio);
                    ratioTexts.add(String.format(Locale.ROOT, "%.2f", ratio));
                }
            }
            out.append("| ").append(server).append(" | ").append(runByRun(unstalled, "p99Ms", "%.1f")).append(" | ")
                    .append(runByRun(stalled, "p99Ms", "%.1f")).append(" | ").append(String.join(", ", ratioTexts))
                    .append(" | ").append(ratios.isEmpty() ? "" : String.format(Locale.ROOT, "%.2f", median(ratios)))
                    .append(" | ").append(runByRun(stalled, "stalledClosed1013", "%.0f")).append(" of ")
                    .append(Math.round(runs.get(0).get("subscribers").asInt() * runs.get(0).get("stalledFraction")
                            .asDouble()))
                    .append(" | ").append(closedAndLost(stalled)).append(" |\n");
        }
        out.append('\n');
    }

    private static String runByRun(Map<Integer, JsonNode> runs, String key, String format) {
        return runs.values().stream().map((run) -> run.get(key))
                .map((value) -> (value == null || !value.isNumber()) ? "–"
                        : String.format(Locale.ROOT, format, value.asDouble()))
                .collect(Collectors.joining(", "));
    }

    private static String closedAndLost(Map<Integer, JsonNode> runs) {
        return runs.values().stream().map((run) -> run.path("healthyClosed").asInt() + " / " + run.path("lost").asLong())
                .collect(Collectors.joining(", "));
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
     * flow control against the hub without when they include {@value #NO_FLOW_CONTROL}; the hub with its metrics
     * scraped against the hub without when they include {@value #WITH_METRICS}; else fanout against STOMP.
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
            if (servers.contains(NO_FLOW_CONTROL)) {
                return new Comparison("fanout", NO_FLOW_CONTROL, "| metric | flow control on (median) "
                        + "| off (median) | on/off, pair by pair | median ratio |\n");
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
