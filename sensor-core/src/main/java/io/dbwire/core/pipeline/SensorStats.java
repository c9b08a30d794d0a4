package io.dbwire.core.pipeline;

import io.dbwire.core.memory.MemoryReport;
import java.util.HashMap;
import java.util.Map;

/**
 * Totals of one run, for the replay summary and the metrics endpoint.
 *
 * @param problems non-zero counts of things that went wrong or were dropped, by {@code layer.reason}, e.g.
 *                 {@code decap.ip_fragment}, {@code tcp.gap_bytes}, {@code postgres.protocol_violation}
 * @param counters every non-zero counter by {@code layer.reason}, problems included (for /metrics)
 * @param memory   the memory budget's figures (limit, in use and high-water mark per consumer); what was shed is
 *                 in the counters as {@code memory.*}
 */
public record SensorStats(
        long packets,
        long bytes,
        long flows,
        long records,
        long alerts,
        Map<String, Long> problems,
        Map<String, Long> counters,
        MemoryReport memory) {

    public static final SensorStats EMPTY = new SensorStats(0, 0, 0, 0, 0, Map.of(), Map.of());

    public SensorStats {
        problems = Map.copyOf(problems);
        counters = Map.copyOf(counters);
        memory = memory == null ? MemoryReport.EMPTY : memory;
    }

    /** Figures without a memory budget of their own. */
    public SensorStats(long packets, long bytes, long flows, long records, long alerts, Map<String, Long> problems,
            Map<String, Long> counters) {
        this(packets, bytes, flows, records, alerts, problems, counters, MemoryReport.EMPTY);
    }

    /** Figures of several stages or shards added up, counters by name. */
    public static SensorStats sum(SensorStats... parts) {
        long packets = 0;
        long bytes = 0;
        long flows = 0;
        long records = 0;
        long alerts = 0;
        Map<String, Long> problems = new HashMap<>();
        Map<String, Long> counters = new HashMap<>();
        MemoryReport[] memory = new MemoryReport[parts.length];
        int i = 0;
        for (SensorStats s : parts) {
            memory[i++] = s.memory;
            packets += s.packets;
            bytes += s.bytes;
            flows += s.flows;
            records += s.records;
            alerts += s.alerts;
            s.problems.forEach((k, v) -> problems.merge(k, v, Long::sum));
            s.counters.forEach((k, v) -> counters.merge(k, v, Long::sum));
        }
        return new SensorStats(packets, bytes, flows, records, alerts, problems, counters, MemoryReport.sum(memory));
    }
}
