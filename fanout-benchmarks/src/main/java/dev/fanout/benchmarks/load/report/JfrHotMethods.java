package dev.fanout.benchmarks.load.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarizes the {@code jdk.ExecutionSample} events of a JFR recording: the methods most often on top of the stack
 * (self time) and the methods most often anywhere on it (total time), with their share of all samples; then where
 * threads waited ({@code jdk.ThreadPark}, {@code jdk.JavaMonitorEnter}, {@code jdk.JavaMonitorWait}, at the
 * recording's thresholds), summed by thread pool and the first frame outside the JDK.
 */
public final class JfrHotMethods {

    private static final int TOP = 30;

    private static final Set<String> WAIT_EVENTS = Set.of("jdk.ThreadPark", "jdk.JavaMonitorEnter",
            "jdk.JavaMonitorWait");

    private JfrHotMethods() {
    }

    /**
     * Prints the hot methods of a recording.
     *
     * @param args the {@code .jfr} file, and optionally how many methods to list
     */
    public static void main(String[] args) throws IOException {
        int top = (args.length > 1) ? Integer.parseInt(args[1]) : TOP;
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> total = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        Map<String, Long> waits = new HashMap<>();
        int samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
            String type = event.getEventType().getName();
            if (WAIT_EVENTS.contains(type)) {
                waits.merge(type.substring(4) + "  " + threadGroup(event) + "  " + firstApplicationFrame(event),
                        event.getDuration().toMillis(), Long::sum);
                continue;
            }
            if (!"jdk.ExecutionSample".equals(type)) {
                continue;
            }
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            samples++;
            List<RecordedFrame> frames = stack.getFrames();
            self.merge(name(frames.get(0).getMethod()), 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame frame : frames) {
                String method = name(frame.getMethod());
                if (seen.add(method)) {
                    total.merge(method, 1, Integer::sum);
                }
            }
            threads.merge(threadGroup(event), 1, Integer::sum);
        }
        System.out.printf("%d execution samples in %s%n", samples, args[0]);
        print("threads (digits folded)", threads, samples, top);
        print("self (top of stack)", self, samples, top);
        print("total (anywhere on the stack)", total, samples, top);
        System.out.printf("%n== waiting (ms summed over threads): event  thread pool  first frame outside the JDK%n");
        waits.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
                .forEach((entry) -> System.out.printf("%9d  %s%n", entry.getValue(), entry.getKey()));
    }

    private static String threadGroup(RecordedEvent event) {
        RecordedThread thread = event.hasField("sampledThread") ? event.getThread("sampledThread") : event.getThread();
        String name = (thread != null && thread.getJavaName() != null) ? thread.getJavaName() : "?";
        return name.replaceAll("\\d+", "N");
    }

    private static String firstApplicationFrame(RecordedEvent event) {
        RecordedStackTrace stack = event.getStackTrace();
        if (stack == null) {
            return "?";
        }
        for (RecordedFrame frame : stack.getFrames()) {
            String type = frame.getMethod().getType().getName();
            if (!type.startsWith("java.") && !type.startsWith("jdk.") && !type.startsWith("sun.")) {
                return name(frame.getMethod());
            }
        }
        return "?";
    }

    private static void print(String title, Map<String, Integer> counts, int samples, int top) {
        System.out.printf("%n== %s%n", title);
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach((entry) -> System.out.printf("%6.2f%%  %s%n", 100.0 * entry.getValue() / samples,
                        entry.getKey()));
    }

    private static String name(RecordedMethod method) {
        return method.getType().getName() + "." + method.getName();
    }
}
