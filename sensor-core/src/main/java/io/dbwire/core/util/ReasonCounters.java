package io.dbwire.core.util;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * Counts outcomes by a closed set of reasons. One owner thread increments; any thread may read a
 * snapshot (reads may lag by a few increments, which is fine for metrics).
 */
public final class ReasonCounters<E extends Enum<E>> {
    private final Class<E> type;
    private final long[] counts;

    public ReasonCounters(Class<E> type) {
        this.type = type;
        this.counts = new long[type.getEnumConstants().length];
    }

    public void increment(E reason) {
        counts[reason.ordinal()]++;
    }

    public void add(E reason, long amount) {
        counts[reason.ordinal()] += amount;
    }

    public long get(E reason) {
        return counts[reason.ordinal()];
    }

    public long total() {
        long sum = 0;
        for (long c : counts) {
            sum += c;
        }
        return sum;
    }

    /** Non-zero counts, in declaration order of the reasons. */
    public Map<E, Long> nonZero() {
        Map<E, Long> out = new EnumMap<>(type);
        for (E e : type.getEnumConstants()) {
            if (counts[e.ordinal()] != 0) {
                out.put(e, counts[e.ordinal()]);
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** Adds another counter set into this one (used to merge per-shard counters). */
    public void addAll(ReasonCounters<E> other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
    }
}
