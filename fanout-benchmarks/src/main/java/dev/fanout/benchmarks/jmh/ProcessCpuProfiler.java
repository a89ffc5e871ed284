package dev.fanout.benchmarks.jmh;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * CPU time of the benchmark's JVM per operation, {@value #RESULT} in ns/op: the process's CPU time (every thread,
 * the benchmark's, a helper such as a scraper, the JIT's and the GC's) used during each iteration divided by the
 * operations measured in it. Unlike the score, which is wall-clock time, it does not grow while the benchmark waits
 * for a core that other processes hold, so on a shared machine it is the steadier figure (cache misses caused by
 * other processes still count). Use as {@code -prof dev.fanout.benchmarks.jmh.ProcessCpuProfiler}.
 */
public final class ProcessCpuProfiler implements InternalProfiler {

    /** The name of the secondary result. */
    static final String RESULT = "cpu.time.norm";

    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private long cpuAtStart;

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        this.cpuAtStart = this.os.getProcessCpuTime();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
            IterationParams iterationParams, IterationResult result) {
        long used = this.os.getProcessCpuTime() - this.cpuAtStart;
        long operations = result.getMetadata().getMeasuredOps();
        double perOperation = (operations > 0) ? (double) used / operations : Double.NaN;
        return List.of(new ScalarResult(RESULT, perOperation, "ns/op", AggregationPolicy.AVG));
    }

    @Override
    public String getDescription() {
        return "CPU time of the benchmark's JVM per operation";
    }
}
