package io.dbwire.daemon.metrics;

import io.dbwire.daemon.trust.MirrorFilter;
import java.util.concurrent.atomic.LongAdder;

/** Counters of the daemon's own edges (the engine counts its own in SensorStats). Written by several threads. */
public final class DaemonCounters {
    private final LongAdder datagrams = new LongAdder();
    private final LongAdder datagramBytes = new LongAdder();
    private final LongAdder queueFull = new LongAdder();
    private final LongAdder receiveErrors = new LongAdder();
    private final LongAdder pipelineErrors = new LongAdder();
    private final LongAdder detectionQueueFull = new LongAdder();
    private final LongAdder[] rejected = new LongAdder[MirrorFilter.Rejection.values().length];

    public DaemonCounters() {
        for (int i = 0; i < rejected.length; i++) {
            rejected[i] = new LongAdder();
        }
    }

    /** A datagram from an untrusted mirror (listen.allowed_sources / allowed_vnis), dropped before decap. */
    public void datagramRejected(MirrorFilter.Rejection reason) {
        rejected[reason.ordinal()].increment();
    }

    public long rejectedDatagrams(MirrorFilter.Rejection reason) {
        return rejected[reason.ordinal()].sum();
    }

    public void datagramReceived(int bytes) {
        datagrams.increment();
        datagramBytes.add(bytes);
    }

    public void queueFull() {
        queueFull.increment();
    }

    public void receiveError() {
        receiveErrors.increment();
    }

    public void pipelineError() {
        pipelineErrors.increment();
    }

    /** A record a shard could not hand to the detection thread (it was still written to the records file). */
    public void detectionQueueFull() {
        detectionQueueFull.increment();
    }

    public long detectionQueueFullDrops() {
        return detectionQueueFull.sum();
    }

    public long datagrams() {
        return datagrams.sum();
    }

    public long datagramBytes() {
        return datagramBytes.sum();
    }

    public long queueFullDrops() {
        return queueFull.sum();
    }

    public long receiveErrors() {
        return receiveErrors.sum();
    }

    public long pipelineErrors() {
        return pipelineErrors.sum();
    }
}
