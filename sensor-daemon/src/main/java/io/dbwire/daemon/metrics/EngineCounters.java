package io.dbwire.daemon.metrics;

import io.dbwire.core.pipeline.SensorStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The engine's counters as metric samples: layer, reason, and whether the count is a problem or volume.
 *
 * <p>The only place that decides the split for /metrics. Today it reads it from {@link SensorStats} (problems are
 * the subset of counters the engine marks as such); once each counter enum says what it is and what its metric is
 * called, this adapter reads that instead and nothing else changes.
 */
public final class EngineCounters {
    /**
     * @param layer   {@code decap}, {@code tcp}, {@code postgres}, {@code tls.decrypt}, ...
     * @param reason  the counter's snake_case name within its layer
     * @param problem true for something that went wrong or was dropped, false for volume
     */
    public record Sample(String layer, String reason, boolean problem, long value) {}

    private EngineCounters() {}

    /** Every counter, sorted by layer then reason so that scrapes diff cleanly. */
    public static List<Sample> from(SensorStats s) {
        List<Sample> out = new ArrayList<>();
        for (Map.Entry<String, Long> e : new TreeMap<>(s.counters()).entrySet()) {
            out.add(sample(e.getKey(), s.problems().containsKey(e.getKey()), e.getValue()));
        }
        for (Map.Entry<String, Long> e : new TreeMap<>(s.problems()).entrySet()) {
            if (!s.counters().containsKey(e.getKey())) { // a problem counted outside the counter maps
                out.add(sample(e.getKey(), true, e.getValue()));
            }
        }
        return out;
    }

    /** {@code layer.reason}, the layer possibly dotted itself ({@code tls.decrypt.no_keys}): split at the last dot. */
    static Sample sample(String name, boolean problem, long value) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? new Sample("engine", name, problem, value)
                : new Sample(name.substring(0, dot), name.substring(dot + 1), problem, value);
    }
}
