package io.dbwire.core.pipeline;

import java.util.HashMap;
import java.util.Map;

/**
 * Totals of one run, for the replay summary and the metrics endpoint.
 *
 * @param problems non-zero counts of things that went wrong or were dropped, by {@code layer.reason}, e.g.
 *                 {@code decap.ip_fragment}, {@code tcp.gap_bytes}, {@code postgres.protocol_violation}
 * @param counters every non-zero counter by {@code layer.reason}, problems included (for /metrics)
 */
public record SensorStats(
        long packets,
        long bytes,
        long flows,
        long records,
        long alerts,
        Map<String, Long> problems,
        Map<String, Long> counters) {

    public static final SensorStats EMPTY = new SensorStats(0, 0, 0, 0, 0, Map.of(), Map.of());

    public SensorStats {
        problems = Map.copyOf(problems);
        counters = Map.copyOf(counters);
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
        for (SensorStats s : parts) {
            packets += s.packets;
            bytes += s.bytes;
            flows += s.flows;
            records += s.records;
            alerts += s.alerts;
            s.problems.forEach((k, v) -> problems.merge(k, v, Long::sum));
            s.counters.forEach((k, v) -> counters.merge(k, v, Long::sum));
        }
        return new SensorStats(packets, bytes, flows, records, alerts, problems, counters);
    }
}
