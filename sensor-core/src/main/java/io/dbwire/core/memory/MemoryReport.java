package io.dbwire.core.memory;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The figures of one or more {@link MemoryBudget}s (shards added up): limit, bytes in use and high-water mark,
 * per consumer and in total. A sum of high-water marks is an upper bound of the high-water mark of the sum.
 */
public record MemoryReport(long limitBytes, long usedBytes, long highWaterBytes, Map<MemoryConsumer, Long> inUse,
        Map<MemoryConsumer, Long> highWater) {
    public static final MemoryReport EMPTY = new MemoryReport(0, 0, 0, Map.of(), Map.of());

    public MemoryReport {
        inUse = Collections.unmodifiableMap(new EnumMap<>(inUse.isEmpty() ? zeros() : inUse));
        highWater = Collections.unmodifiableMap(new EnumMap<>(highWater.isEmpty() ? zeros() : highWater));
    }

    static MemoryReport of(MemoryBudget b) {
        Map<MemoryConsumer, Long> use = new EnumMap<>(MemoryConsumer.class);
        Map<MemoryConsumer, Long> high = new EnumMap<>(MemoryConsumer.class);
        for (MemoryConsumer c : MemoryConsumer.ALL) {
            use.put(c, b.inUse(c));
            high.put(c, b.highWater(c));
        }
        long limit = b.limit() == Long.MAX_VALUE ? 0 : b.limit(); // 0: unlimited
        return new MemoryReport(limit, b.total(), b.totalHighWater(), use, high);
    }

    /** Shards' figures added up. */
    public static MemoryReport sum(MemoryReport... parts) {
        long limit = 0;
        long used = 0;
        long high = 0;
        Map<MemoryConsumer, Long> use = zeros();
        Map<MemoryConsumer, Long> hw = zeros();
        for (MemoryReport r : parts) {
            limit += r.limitBytes;
            used += r.usedBytes;
            high += r.highWaterBytes;
            r.inUse.forEach((c, v) -> use.merge(c, v, Long::sum));
            r.highWater.forEach((c, v) -> hw.merge(c, v, Long::sum));
        }
        return new MemoryReport(limit, used, high, use, hw);
    }

    private static Map<MemoryConsumer, Long> zeros() {
        Map<MemoryConsumer, Long> m = new EnumMap<>(MemoryConsumer.class);
        for (MemoryConsumer c : MemoryConsumer.ALL) {
            m.put(c, 0L);
        }
        return m;
    }
}
