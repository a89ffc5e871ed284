package dev.fanout.spring.websocket;

/**
 * Tells whether a drainer's thread is waiting rather than running: the seam through which the
 * {@link StuckDrainerRule} looks at a thread, so that tests can decide what it sees.
 *
 * <p>Implementations are thread-safe: the drainers' monitor calls them for threads other than its own.
 */
@FunctionalInterface
interface DrainerProbe {

    /**
     * By the thread's Java state: {@code WAITING}, {@code TIMED_WAITING} and {@code BLOCKED} are waiting;
     * {@code RUNNABLE} is not, whether the thread is on a core or descheduled (the JVM does not tell them apart, and
     * that is the point: a drainer that merely lost its core needs no replacement). A write stuck on a peer that
     * stopped reading waits in Java on both containers: Tomcat's blocking write waits on the socket's write lock
     * (or its message-part semaphore) for writability, and the Jetty endpoint waits for the frame's future. Reading
     * the state is a volatile read of one field, no system call.
     */
    DrainerProbe THREAD_STATE = (thread) -> switch (thread.getState()) {
        case WAITING, TIMED_WAITING, BLOCKED -> true;
        case NEW, RUNNABLE, TERMINATED -> false;
    };

    /**
     * Whether the thread waits now.
     *
     * @param drainer a drainer's thread
     * @return {@code true} if it is parked, waiting or blocked on a monitor; {@code false} if it runs or may run
     */
    boolean isWaiting(Thread drainer);
}
