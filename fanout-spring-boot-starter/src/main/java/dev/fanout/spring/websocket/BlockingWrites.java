package dev.fanout.spring.websocket;

/**
 * Told by a {@link SendLoop} around each endpoint call that may wait for the network (a flush, a ping, a close), so
 * that the {@link SendScheduler} can replace a drainer stuck in one.
 *
 * <p>Called by the one thread running the loop.
 */
interface BlockingWrites {

    /** Does nothing: for a thread that no one needs to replace. */
    BlockingWrites NONE = new BlockingWrites() {

        @Override
        public void begin() {
        }

        @Override
        public void end() {
        }
    };

    /** A call that may block starts. */
    void begin();

    /** That call returned. */
    void end();
}
