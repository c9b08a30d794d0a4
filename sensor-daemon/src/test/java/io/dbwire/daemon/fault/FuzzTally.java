package io.dbwire.daemon.fault;

import io.dbwire.daemon.fault.MutationCase.Outcome;
import io.dbwire.daemon.fault.SessionMutator.Kind;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/** Outcome counts of a fuzz run, by input class and by mutation, printed as the table docs/operations.md quotes. */
final class FuzzTally {
    private static final class Row {
        long tried;
        long frames;
        long records;
        long alerts;
        long withProblems;
        final java.util.Set<String> reasons = new java.util.TreeSet<>();
        long heapUsedMax;
    }

    private final Map<String, Row> byClass = new TreeMap<>();
    private final Map<Kind, Long> byKind = new EnumMap<>(Kind.class);
    private long crashes;
    private long tight;
    private long overshootCases;
    private long overshootMax;

    synchronized void add(Outcome o) {
        Row r = byClass.computeIfAbsent(o.inputClass(), k -> new Row());
        r.tried++;
        r.frames += o.frames();
        r.records += o.records();
        r.alerts += o.alerts();
        r.reasons.addAll(o.problems());
        r.withProblems += o.problems().isEmpty() ? 0 : 1;
        r.heapUsedMax = Math.max(r.heapUsedMax, o.heapUsedBytes());
        tight += o.tightBounds() ? 1 : 0;
        overshootCases += o.holdOvershoot() > 0 ? 1 : 0;
        overshootMax = Math.max(overshootMax, o.holdOvershoot());
        o.mutations().forEach(k -> byKind.merge(k, 1L, Long::sum));
    }

    synchronized void crash() {
        crashes++;
    }

    synchronized String report(String title, long seed, long millis) {
        StringBuilder b = new StringBuilder();
        b.append(title).append(": seed ").append(seed).append(", ").append(millis / 1000.0).append(" s, max heap ")
                .append(Runtime.getRuntime().maxMemory() >> 20).append(" MiB, heap pools' peak ")
                .append(heapPeak() >> 20).append(" MiB, crashes ").append(crashes).append(", cases with tight TCP bounds ")
                .append(tight).append(", cases whose held bytes passed the total bound ").append(overshootCases)
                .append(" (by at most ").append(overshootMax).append(" bytes)\n");
        b.append(String.format("%-9s %7s %9s %9s %7s %13s %10s %14s%n", "class", "tried", "frames", "records",
                "alerts", "with_problems", "reasons", "heap_used_max"));
        byClass.forEach((cls, r) -> b.append(String.format("%-9s %7d %9d %9d %7d %13d %10d %11d MiB%n", cls, r.tried,
                r.frames, r.records, r.alerts, r.withProblems, r.reasons.size(), r.heapUsedMax >> 20)));
        java.util.Set<String> all = new java.util.TreeSet<>();
        byClass.values().forEach(r -> all.addAll(r.reasons));
        b.append("problem reasons counted: ").append(String.join(" ", all)).append('\n');
        b.append("mutations applied:");
        byKind.forEach((k, n) -> b.append(' ').append(k.name().toLowerCase(java.util.Locale.ROOT)).append('=').append(n));
        return b.append('\n').toString();
    }

    /** The sum of the heap pools' peaks since the JVM started (an upper bound of the heap ever in use). */
    private static long heapPeak() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}
