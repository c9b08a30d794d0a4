package io.dbwire.core.pipeline;

import io.dbwire.core.util.CountedEvent;
import io.dbwire.core.util.ReasonCounters;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects the layers' counters under their {@link CountedEvent#metricName() metric names} and keeps the ones the
 * enums call {@link CountedEvent.Kind#PROBLEM problems} apart.
 */
final class CounterReport {
    private final Map<String, Long> counters = new TreeMap<>();
    private final Map<String, Long> problems = new TreeMap<>();

    <E extends Enum<E> & CountedEvent> CounterReport add(ReasonCounters<E> source) {
        source.nonZero().forEach((event, count) -> {
            String key = event.metricName();
            counters.put(key, count);
            if (event.isProblem()) {
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
