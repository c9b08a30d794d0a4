package io.dbwire.core.detect;

import io.dbwire.core.record.TransactionRecord;

/**
 * One entity's figures: the open bucket's counts per {@link Metric}, and a {@link RobustStats} over the last
 * closed buckets for each. Plain fields only, so a later state snapshot can write it out.
 */
public final class EntityBaseline {
    private final long[] current = new long[Metric.ALL.length];
    private final RobustStats[] history = new RobustStats[Metric.ALL.length];
    private long lastSeenMicros;

    EntityBaseline(int buckets, int minSamples, double clipSigmas) {
        for (Metric m : Metric.ALL) {
            history[m.ordinal()] = new RobustStats(buckets, minSamples, clipSigmas, 1.0);
        }
    }

    void observe(TransactionRecord r, long nowMicros) {
        Metric.accumulate(r, current);
        lastSeenMicros = nowMicros;
    }

    /** Moves the open bucket's counts into the history and starts an empty bucket. */
    void closeBucket() {
        for (Metric m : Metric.ALL) {
            history[m.ordinal()].add(current[m.ordinal()]);
            current[m.ordinal()] = 0;
        }
    }

    /** Count in the open bucket. */
    public long current(Metric m) {
        return current[m.ordinal()];
    }

    public RobustStats history(Metric m) {
        return history[m.ordinal()];
    }

    public long lastSeenMicros() {
        return lastSeenMicros;
    }
}
