package io.dbwire.core.pipeline;

import io.dbwire.core.util.ReasonCounters;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Collects the layers' counters under {@code layer.reason} names and tells problems from plain volume. */
final class CounterReport {
    private final Map<String, Long> counters = new TreeMap<>();
    private final Map<String, Long> problems = new TreeMap<>();

    /**
     * @param layer  prefix, e.g. {@code tcp}
     * @param volume reasons that measure normal work rather than a problem (segments, closes by FIN, ...)
     */
    <E extends Enum<E>> CounterReport add(String layer, ReasonCounters<E> source, Set<E> volume) {
        source.nonZero().forEach((reason, count) -> {
            String key = layer + "." + reason.name().toLowerCase(Locale.ROOT);
            counters.put(key, count);
            if (!volume.contains(reason)) {
                problems.put(key, count);
            }
        });
        return this;
    }

    CounterReport addProblem(String key, long count) {
        if (count != 0) {
            counters.put(key, count);
            problems.put(key, count);
        }
        return this;
    }

    Map<String, Long> counters() {
        return counters;
    }

    Map<String, Long> problems() {
        return problems;
    }
}
