package io.dbwire.core.pipeline;

import java.util.Map;

/**
 * Totals of one run, for the replay summary and the metrics endpoint.
 *
 * @param problems non-zero counts by {@code layer.reason}, e.g. {@code decap.truncated}, {@code tcp.gap_bytes}
 */
public record SensorStats(
        long packets, long bytes, long flows, long records, long alerts, Map<String, Long> problems) {}
