package dev.fanout.benchmarks.load.client;

import java.util.HashMap;
import java.util.Map;

/**
 * The load client's command line, {@code --name=value} pairs; see {@link LoadClient} for the names.
 */
record Options(String server, String scenario, int pair, String host, int port, long serverPid, int subscribers,
        int payloadSize, int events, double rate, int warmUpEvents, double stalledFraction, int stalledReceiveBuffer,
        boolean idle, int loops, int connectThreads, int idleTimeoutSeconds, int maxSeconds, long clockTicks,
        String out) {

    static Options parse(String[] args) {
        Map<String, String> values = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("Expected --name=value, got '" + arg + "'");
            }
            int equals = arg.indexOf('=');
            values.put(arg.substring(2, equals), arg.substring(equals + 1));
        }
        int subscribers = Integer.parseInt(values.getOrDefault("subscribers", "1000"));
        int events = Integer.parseInt(values.getOrDefault("events", "2000"));
        int defaultWarmUp = Math.min(2000, Math.max(20, 200_000 / Math.max(1, subscribers)));
        boolean idle = Boolean.parseBoolean(values.getOrDefault("idle", "false"));
        Options options = new Options(required(values, "server"), values.getOrDefault("scenario", "adhoc"),
                Integer.parseInt(values.getOrDefault("pair", "1")), values.getOrDefault("host", "127.0.0.1"),
                Integer.parseInt(required(values, "port")), Long.parseLong(required(values, "server-pid")),
                subscribers, Integer.parseInt(values.getOrDefault("payload", "256")), events,
                Double.parseDouble(values.getOrDefault("rate", "0")),
                Integer.parseInt(values.getOrDefault("warmup", Integer.toString(idle ? 0 : defaultWarmUp))),
                Double.parseDouble(values.getOrDefault("stalled", "0")),
                Integer.parseInt(values.getOrDefault("stalled-rcvbuf", "8192")), idle,
                Integer.parseInt(values.getOrDefault("loops", "2")),
                Integer.parseInt(values.getOrDefault("connect-threads", "4")),
                Integer.parseInt(values.getOrDefault("idle-timeout", "30")),
                Integer.parseInt(values.getOrDefault("max-seconds", "300")),
                Long.parseLong(values.getOrDefault("clk-tck", "100")), values.getOrDefault("out", ""));
        values.keySet().removeAll(java.util.List.of("server", "scenario", "pair", "host", "port", "server-pid",
                "subscribers", "payload", "events", "rate", "warmup", "stalled", "stalled-rcvbuf", "idle", "loops",
                "connect-threads", "idle-timeout", "max-seconds", "clk-tck", "out"));
        if (!values.isEmpty()) {
            throw new IllegalArgumentException("Unknown options " + values.keySet());
        }
        return options;
    }

    private static String required(Map<String, String> values, String name) {
        String value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + "=… is required");
        }
        return value;
    }

    /** Whether subscriber {@code index} is one of the stalled ones, spread evenly over all. */
    boolean isStalled(int index) {
        long stalled = Math.round(this.subscribers * this.stalledFraction);
        return (index + 1) * stalled / this.subscribers > index * stalled / this.subscribers;
    }
}
