package io.dbwire.core.detect.detector;

import io.dbwire.core.detect.alert.EntityKey;
import io.dbwire.core.detect.baseline.EntityKeys;
import io.dbwire.core.detect.engine.BoundedLru;
import io.dbwire.core.detect.engine.DetectEvent;
import io.dbwire.core.detect.state.StateTree;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * When each entity was first seen, bounded by {@code maxEntities} (least recently seen dropped and counted): the
 * memory of "known" entities behind the new-entity detections and per-entity learning periods.
 */
final class FirstSeen<K extends EntityKey> {
    private final BoundedLru<K, long[]> seen;

    FirstSeen(DetectContext ctx) {
        this.seen = new BoundedLru<>(ctx.config().maxEntities(),
                (k, v) -> ctx.counters().increment(DetectEvent.ENTITIES_EVICTED));
    }

    /** First-seen time of the key, or {@link Long#MIN_VALUE} when it was unknown (it is known from now on). */
    long touch(K key, long nowMicros) {
        long[] v = seen.get(key);
        if (v == null) {
            seen.put(key, new long[] {nowMicros});
            return Long.MIN_VALUE;
        }
        return v[0];
    }

    /** First-seen time, or {@link Long#MIN_VALUE}; does not make the key known. */
    long get(K key) {
        long[] v = seen.get(key);
        return v == null ? Long.MIN_VALUE : v[0];
    }

    int size() {
        return seen.size();
    }

    List<Object> snapshot() {
        List<Object> out = new ArrayList<>(seen.size());
        for (Map.Entry<K, long[]> e : seen.entries()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", EntityKeys.toTree(e.getKey()));
            m.put("first_seen", e.getValue()[0]);
            out.add(m);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    void restore(Object tree) {
        for (Object o : StateTree.list(tree, "first_seen")) {
            Map<String, Object> m = StateTree.map(o, "entry");
            seen.put((K) EntityKeys.fromTree(m.get("key")),
                    new long[] {StateTree.asLong(m.get("first_seen"), "first_seen")});
        }
    }
}
