package io.dbwire.core.pipeline;

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
}
