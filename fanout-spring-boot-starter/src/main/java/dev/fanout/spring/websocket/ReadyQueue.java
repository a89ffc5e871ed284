package dev.fanout.spring.websocket;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.jspecify.annotations.Nullable;

/**
 * The {@link SendScheduler}'s ready queue: an unbounded first-in first-out queue for many producers and many
 * consumers, made of linked array chunks of {@value #CHUNK_SIZE} slots. A producer claims the next slot of the last
 * chunk with one atomic increment (no retry loop, no node per element: a dispatch to 1,000 idle spokes allocates
 * four chunks, not 1,000 nodes) and then publishes its element there; a consumer takes the first chunk's next slot
 * with one compare-and-set; the chunk's two indices sit on different cache lines, so producers and consumers do not
 * invalidate each other's. Elements come out in the order their slots were claimed.
 *
 * <p><b>Claimed but not yet published.</b> Between a producer's claim and its publication (a few instructions, or
 * longer if that thread is descheduled there) the slot is empty, and consumers do not pass it: {@link #poll()}
 * returns {@code null} and {@link #isEmpty()} {@code true}, even if later slots are published. The scheduler relies
 * on what every producer does right after {@link #offer}: it makes sure a drainer is awake, so the element is never
 * left without one.
 *
 * <p>Thread-safe: {@link #offer} from any number of threads, {@link #poll()} and {@link #isEmpty()} from any number
 * of threads. Happens-before: writes before {@link #offer} of an element happen-before the {@link #poll()} that
 * returns it (the slot is published with a volatile write and read with a volatile read). {@link #offer} ends with
 * that volatile write and {@link #isEmpty()} starts with volatile reads, so a producer that then reads a volatile
 * counter and a consumer that wrote it before re-checking {@link #isEmpty()} cannot both miss each other (the
 * scheduler's re-check after a drainer gives up its place).
 *
 * @param <E> the element type
 */
final class ReadyQueue<E> {

    /** Slots per chunk. */
    static final int CHUNK_SIZE = 256;

    private static final VarHandle HEAD;

    private static final VarHandle TAIL;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            HEAD = lookup.findVarHandle(ReadyQueue.class, "head", Chunk.class);
            TAIL = lookup.findVarHandle(ReadyQueue.class, "tail", Chunk.class);
        }
        catch (ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    /** The chunk consumers take from; moves to the next chunk once every slot was taken. */
    private volatile Chunk<E> head;

    /** The chunk producers claim in, or one before it (producers help it along). */
    private volatile Chunk<E> tail;

    /**
     * Creates an empty queue.
     */
    ReadyQueue() {
        Chunk<E> first = new Chunk<>();
        this.head = first;
        this.tail = first;
    }

    /**
     * Appends an element.
     *
     * @param element the element
     * @throws NullPointerException if it is {@code null}
     */
    void offer(E element) {
        Objects.requireNonNull(element);
        Chunk<E> chunk = this.tail;
        while (true) {
            int index = chunk.claim();
            if (index < CHUNK_SIZE) {
                chunk.publish(index, element);
                return;
            }
            Chunk<E> next = chunk.next();
            if (next == null) {
                Chunk<E> fresh = new Chunk<>();
                next = chunk.link(fresh) ? fresh : Objects.requireNonNull(chunk.next());
            }
            TAIL.compareAndSet(this, chunk, next);
            chunk = next;
        }
    }

    /**
     * Takes the first element.
     *
     * @return the element, or {@code null} if the first slot holds none yet (see {@link ReadyQueue})
     */
    @Nullable E poll() {
        Chunk<E> chunk = this.head;
        while (true) {
            int index = chunk.taken();
            if (index < CHUNK_SIZE) {
                E element = chunk.get(index);
                if (element != null) {
                    if (chunk.take(index)) {
                        return element;
                    }
                }
                else if (chunk.taken() == index) {
                    return null;
                }
                continue;
            }
            Chunk<E> next = chunk.next();
            if (next == null) {
                return null;
            }
            HEAD.compareAndSet(this, chunk, next);
            chunk = this.head;
        }
    }

    /**
     * Whether {@link #poll()} would find no element now.
     *
     * @return {@code true} if the first slot holds no element yet (see {@link ReadyQueue})
     */
    boolean isEmpty() {
        Chunk<E> chunk = this.head;
        while (true) {
            int index = chunk.taken();
            if (index < CHUNK_SIZE) {
                if (chunk.get(index) != null) {
                    return false;
                }
                if (chunk.taken() == index) {
                    return true;
                }
                continue;
            }
            Chunk<E> next = chunk.next();
            if (next == null) {
                return true;
            }
            chunk = next;
        }
    }

    /**
     * One array of slots, each written once by the producer that claimed it and cleared by the consumer that took it
     * (so that a taken element is not kept alive by a chunk still in use).
     */
    private static final class Chunk<E> {

        /** Where the claim index and the take index sit in {@link #indices}: 64 bytes apart. */
        private static final int CLAIMED = 0;

        private static final int TAKEN = 16;

        private static final VarHandle NEXT;

        static {
            try {
                NEXT = MethodHandles.lookup().findVarHandle(Chunk.class, "next", Chunk.class);
            }
            catch (ReflectiveOperationException ex) {
                throw new ExceptionInInitializerError(ex);
            }
        }

        private final AtomicReferenceArray<@Nullable E> slots = new AtomicReferenceArray<>(CHUNK_SIZE);

        /** The next slot to claim at {@link #CLAIMED} (may pass the chunk's size), the next to take at {@link #TAKEN}. */
        private final AtomicIntegerArray indices = new AtomicIntegerArray(TAKEN + 1);

        private volatile @Nullable Chunk<E> next;

        int claim() {
            return this.indices.getAndIncrement(CLAIMED);
        }

        void publish(int index, E element) {
            this.slots.set(index, element);
        }

        int taken() {
            return this.indices.get(TAKEN);
        }

        @Nullable E get(int index) {
            return this.slots.get(index);
        }

        /** Takes the slot at {@code index} if no other consumer did, and clears it. */
        boolean take(int index) {
            if (!this.indices.compareAndSet(TAKEN, index, index + 1)) {
                return false;
            }
            // No reader looks at a slot below the take index again; a consumer that read the old index re-reads it
            // when it finds the slot cleared.
            this.slots.lazySet(index, null);
            return true;
        }

        @Nullable Chunk<E> next() {
            return this.next;
        }

        boolean link(Chunk<E> fresh) {
            return NEXT.compareAndSet(this, null, fresh);
        }
    }
}
