package io.dbwire.daemon.console.traffic;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.dbwire.core.record.StatementInfo;
import io.dbwire.core.record.TransactionRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The statement fingerprints of one server, at most {@code capacity}. When full, a new fingerprint replaces the
 * one seen least often (counted in {@link #evicted()}): the busy ones stay, a stream of one-off statements churns
 * only the tail. The scan for the least one is linear, and it runs on the console thread, never the pipeline's.
 */
final class FingerprintTable {
    private final int capacity;
    private final Map<String, FingerprintStats> byFingerprint = new HashMap<>();
    private long evicted;

    FingerprintTable(int capacity) {
        this.capacity = capacity;
    }

    void observe(TransactionRecord r) {
        StatementInfo s = r.statement();
        if (s == null || s.fingerprint() == null) {
            return;
        }
        FingerprintStats f = byFingerprint.get(s.fingerprint());
        if (f == null) {
            if (byFingerprint.size() >= capacity) {
                evictLeastSeen();
            }
            f = new FingerprintStats(s.text(), s.operation());
            byFingerprint.put(s.fingerprint(), f);
        }
        f.observe(r);
    }

    private void evictLeastSeen() {
        String least = null;
        long leastCount = Long.MAX_VALUE;
        for (Map.Entry<String, FingerprintStats> e : byFingerprint.entrySet()) {
            if (e.getValue().count() < leastCount) {
                leastCount = e.getValue().count();
                least = e.getKey();
            }
        }
        byFingerprint.remove(least);
        evicted++;
    }

    long evicted() {
        return evicted;
    }

    int size() {
        return byFingerprint.size();
    }

    /** The {@code limit} fingerprints with the most total time, then the most executions. */
    ArrayNode toJson(JsonNodeFactory f, int limit) {
        List<Map.Entry<String, FingerprintStats>> entries = new ArrayList<>(byFingerprint.entrySet());
        entries.sort(Comparator.comparingLong((Map.Entry<String, FingerprintStats> e) -> e.getValue().totalMicros())
                .thenComparingLong(e -> e.getValue().count()).reversed().thenComparing(Map.Entry::getKey));
        ArrayNode out = f.arrayNode();
        for (Map.Entry<String, FingerprintStats> e : entries.subList(0, Math.min(limit, entries.size()))) {
            var o = out.addObject();
            o.put("fingerprint", e.getKey());
            e.getValue().writeTo(o);
        }
        return out;
    }
}
