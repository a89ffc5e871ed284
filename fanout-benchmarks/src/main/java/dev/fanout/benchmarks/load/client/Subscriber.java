package dev.fanout.benchmarks.load.client;

import java.util.BitSet;

/**
 * One subscriber connection and what it received in the measured phase: which sequence numbers (to count lost and
 * duplicated deliveries), and how many arrived after a higher one (out of order). Confined to its {@link IoLoop}'s
 * thread once registered; read by the main thread only after the loops have stopped.
 */
final class Subscriber implements MessageSink {

    private final int index;

    private final boolean stalling;

    private final int events;

    private final BitSet seen;

    private final long[] decoded = new long[2];

    private WsSocket socket;

    private IoLoop loop;

    private int distinct;

    private int duplicates;

    private int outOfOrder;

    private long highestSeq = -1;

    private boolean probed;

    private boolean warmedUp;

    private int closeCode;

    Subscriber(int index, boolean stalling, int events) {
        this.index = index;
        this.stalling = stalling;
        this.events = events;
        this.seen = new BitSet(events);
    }

    void attach(WsSocket socket) {
        this.socket = socket;
    }

    void attach(IoLoop loop) {
        this.loop = loop;
    }

    WsSocket socket() {
        return this.socket;
    }

    int index() {
        return this.index;
    }

    boolean isStalling() {
        return this.stalling;
    }

    int distinct() {
        return this.distinct;
    }

    int duplicates() {
        return this.duplicates;
    }

    int outOfOrder() {
        return this.outOfOrder;
    }

    /** The server's close code, or 0 while the connection is open. */
    int closeCode() {
        return this.closeCode;
    }

    @Override
    public void onMessage(byte[] buffer, int offset, int length) {
        if (!Payload.decode(buffer, offset, length, this.decoded)) {
            return;
        }
        long seq = this.decoded[0];
        if (seq >= 0) {
            onMeasured((int) seq, this.decoded[1]);
        }
        else if (seq == Payload.PROBE) {
            if (!this.probed) {
                this.probed = true;
                this.loop.subscriberProbed();
            }
        }
        else {
            this.loop.warmUpDelivered();
            if (seq == -1 && !this.warmedUp) {
                this.warmedUp = true;
                this.loop.subscriberWarmedUp();
            }
        }
    }

    @Override
    public void onClose(int code) {
        if (this.closeCode == 0 && !this.stalling && this.distinct < this.events && this.loop != null) {
            this.loop.healthyClosed();
        }
        this.closeCode = code;
    }

    private void onMeasured(int seq, long sentAtNanos) {
        if (seq >= this.events) {
            return;
        }
        if (this.seen.get(seq)) {
            this.duplicates++;
            return;
        }
        this.seen.set(seq);
        this.distinct++;
        if (seq < this.highestSeq) {
            this.outOfOrder++;
        }
        else {
            this.highestSeq = seq;
        }
        if (!this.stalling) {
            this.loop.healthyDelivered(sentAtNanos, this.distinct == this.events);
        }
    }
}
