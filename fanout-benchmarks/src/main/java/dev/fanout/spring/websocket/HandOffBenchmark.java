package dev.fanout.spring.websocket;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The {@link SendScheduler}'s hand-off of ready loops, before and after the helper question was gated, in one run. One
 * operation is one dispatch to {@value #LOOPS} idle spokes: one producer appends {@value #LOOPS} loops to a
 * {@link ConcurrentLinkedQueue}, each followed by the read of the awake-drainer count that {@code schedule} does, and
 * the loops are taken as a drainer takes them, each followed by the drainer's question whether more wait (to start a
 * helper). {@code clq}: the question after every loop taken (before); {@code clq-gated}: only while fewer drainers
 * than allowed are awake, here never (after). {@code …WhileTwoDrainersTake}: {@value #DRAINERS} drainer threads take
 * the loops as they come (yielding while the queue is empty), measured until they have taken all of them;
 * {@code …ThenTakeThemOnOneThread}: the producer takes them itself, the cost without cache-line transfers between
 * cores. A third value, {@code chunked}, measured a hand-written queue of array chunks (no node per loop) at commit
 * {@code 04dd84b}; it was not kept (docs/benchmarks.md). Lives in the starter's package, beside the scheduler it
 * models.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HandOffBenchmark {

    static final int LOOPS = 1_000;

    static final int DRAINERS = 2;

    /**
     * One dispatch, taken by two drainer threads.
     *
     * @param state the queue and its drainers
     * @return how often the producer saw no drainer awake (never), so that nothing is optimised away
     */
    @Benchmark
    public long dispatchTo1000IdleSpokesWhileTwoDrainersTake(Contended state) {
        return state.dispatch();
    }

    /**
     * One dispatch, taken by the producer.
     *
     * @param state the queue
     * @return how often a check fired, so that nothing is optimised away
     */
    @Benchmark
    public int dispatchTo1000IdleSpokesThenTakeThemOnOneThread(Alone state) {
        return state.dispatchThenTake();
    }

    /** The hand-off with two drainer threads taking loops as they come. */
    @State(Scope.Benchmark)
    public static class Contended {

        /** Each drainer's count of loops taken, 16 longs (128 bytes) apart so that they do not share a cache line. */
        private static final int COUNTER_STRIDE = 16;

        /** The hand-off measured. */
        @Param({ "clq", "clq-gated" })
        public String handOff;

        private final Object[] loops = new Object[LOOPS];

        private final AtomicInteger awake = new AtomicInteger(DRAINERS);

        private final AtomicLongArray taken = new AtomicLongArray(DRAINERS * COUNTER_STRIDE);

        private HandOff queue;

        private boolean gated;

        private volatile boolean running;

        private Thread[] drainers;

        private long offered;

        /** Creates the queue and starts the drainers. */
        @Setup(Level.Trial)
        public void startDrainers() {
            for (int i = 0; i < LOOPS; i++) {
                this.loops[i] = new Object();
            }
            this.queue = newHandOff(this.handOff);
            this.gated = !this.handOff.equals("clq");
            this.running = true;
            this.drainers = new Thread[DRAINERS];
            for (int d = 0; d < DRAINERS; d++) {
                int counter = d * COUNTER_STRIDE;
                this.drainers[d] = new Thread(() -> drain(counter), "drainer-" + d);
                this.drainers[d].setDaemon(true);
                this.drainers[d].start();
            }
        }

        /**
         * Stops the drainers.
         *
         * @throws InterruptedException if interrupted while waiting for them
         */
        @TearDown(Level.Trial)
        public void stopDrainers() throws InterruptedException {
            this.running = false;
            for (Thread drainer : this.drainers) {
                drainer.join();
            }
        }

        long dispatch() {
            int sawNoneAwake = 0;
            for (Object loop : this.loops) {
                this.queue.offer().accept(loop);
                if (this.awake.get() == 0) {
                    sawNoneAwake++;
                }
            }
            this.offered += LOOPS;
            while (takenSoFar() < this.offered) {
                Thread.yield();
            }
            return sawNoneAwake;
        }

        private long takenSoFar() {
            long sum = 0;
            for (int d = 0; d < DRAINERS; d++) {
                sum += this.taken.get(d * COUNTER_STRIDE);
            }
            return sum;
        }

        private void drain(int counter) {
            long helpersWanted = 0;
            while (this.running) {
                Object loop = this.queue.poll().get();
                if (loop == null) {
                    Thread.yield();
                    continue;
                }
                if ((!this.gated || this.awake.get() < DRAINERS) && !this.queue.isEmpty().getAsBoolean()) {
                    helpersWanted++;
                }
                this.taken.lazySet(counter, this.taken.get(counter) + 1);
            }
            if (helpersWanted < 0) {
                throw new AssertionError();
            }
        }
    }

    /**
     * The same hand-off with no other thread: the producer appends the loops, then takes them itself, asking after
     * each whether more wait as a drainer does. The structures' own cost, without cache-line transfers between
     * cores (on a loaded 2-core machine the contended case mostly measures the scheduling of three busy threads).
     */
    @State(Scope.Benchmark)
    public static class Alone {

        /** The hand-off measured. */
        @Param({ "clq", "clq-gated" })
        public String handOff;

        private final Object[] loops = new Object[LOOPS];

        private final AtomicInteger awake = new AtomicInteger(DRAINERS);

        private HandOff queue;

        private boolean gated;

        /** Creates the queue. */
        @Setup(Level.Trial)
        public void create() {
            for (int i = 0; i < LOOPS; i++) {
                this.loops[i] = new Object();
            }
            this.queue = newHandOff(this.handOff);
            this.gated = !this.handOff.equals("clq");
        }

        int dispatchThenTake() {
            int signals = 0;
            for (Object loop : this.loops) {
                this.queue.offer().accept(loop);
                if (this.awake.get() == 0) {
                    signals++;
                }
            }
            while (this.queue.poll().get() != null) {
                if ((!this.gated || this.awake.get() < DRAINERS) && !this.queue.isEmpty().getAsBoolean()) {
                    signals++;
                }
            }
            return signals;
        }
    }

    private static HandOff newHandOff(String name) {
        return switch (name) {
            case "clq", "clq-gated" -> {
                ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
                yield new HandOff(queue::offer, queue::poll, queue::isEmpty);
            }
            default -> throw new IllegalArgumentException("Unknown hand-off " + name);
        };
    }

    /**
     * The three calls the scheduler makes on its ready queue.
     *
     * @param offer appends a loop
     * @param poll takes the first loop, or {@code null}
     * @param isEmpty whether no loop waits
     */
    private record HandOff(Consumer<Object> offer, Supplier<@Nullable Object> poll, BooleanSupplier isEmpty) {
    }
}
