package io.dbwire.daemon.console.traffic;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.dbwire.core.record.TransactionRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Activity by name (client address, user, application) on one server, at most {@code capacity} names: the first
 * ones seen are kept, later newcomers are counted in {@link #untracked()} (a scan of many addresses must not grow
 * the table; the {@code new_client} alert is what reports it).
 */
final class ActivityTable {
    private final int capacity;
    private final Map<String, Activity> byName = new HashMap<>();
    private long untracked;

    ActivityTable(int capacity) {
        this.capacity = capacity;
    }

    void observe(String name, TransactionRecord r) {
        if (name == null) {
            return;
        }
        Activity a = byName.get(name);
        if (a == null) {
            if (byName.size() >= capacity) {
                untracked++;
                return;
            }
            a = new Activity();
            byName.put(name, a);
        }
        a.observe(r);
    }

    int size() {
        return byName.size();
    }

    long untracked() {
        return untracked;
    }

    /** The {@code limit} busiest names (statements, then bytes), each with its activity. */
    ArrayNode toJson(JsonNodeFactory f, int limit) {
        List<Map.Entry<String, Activity>> entries = new ArrayList<>(byName.entrySet());
        entries.sort(Comparator.comparingLong((Map.Entry<String, Activity> e) -> e.getValue().statements())
                .thenComparingLong(e -> e.getValue().bytes()).reversed().thenComparing(Map.Entry::getKey));
        ArrayNode out = f.arrayNode();
        for (Map.Entry<String, Activity> e : entries.subList(0, Math.min(limit, entries.size()))) {
            var o = out.addObject();
            o.put("name", e.getKey());
            e.getValue().writeTo(o);
        }
        return out;
    }
}
