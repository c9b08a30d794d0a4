package io.dbwire.core.detect.detector;

import io.dbwire.core.detect.alert.EntityKey;
import io.dbwire.core.detect.baseline.EntityBaseline;
import io.dbwire.core.detect.baseline.EntityKeys;
import io.dbwire.core.detect.baseline.Metric;
import io.dbwire.core.detect.baseline.RecordFigures;
import io.dbwire.core.detect.engine.BoundedLru;
import io.dbwire.core.detect.engine.DetectEvent;
import io.dbwire.core.detect.state.StateTree;
import io.dbwire.core.record.TransactionRecord;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Per-entity baselines for one kind of entity (servers, client/server pairs, fingerprints…), bounded by
 * {@code maxEntities} with least-recently-seen eviction counted as {@link DetectEvent#ENTITIES_EVICTED}.
 *
 * <p>A detector feeds records with {@link #observe}, compares {@link EntityBaseline#current} against
 * {@link EntityBaseline#history} in its {@link Detector#onBucketClose}, then calls {@link #closeBucket()}.
 * Every tracked entity gets a value per bucket (0 when it was quiet), so quiet minutes are part of "normal".
 */
public final class BaselineTable<K extends EntityKey> {
    /** Buckets kept per metric: 60 one-minute buckets, the last hour. */
    public static final int DEFAULT_BUCKETS = 60;
    /** Buckets needed before a baseline is trusted. */
    public static final int DEFAULT_MIN_SAMPLES = 10;
    /** New values beyond this many robust sigmas are clipped before they enter the history. */
    public static final double DEFAULT_CLIP_SIGMAS = 6.0;

    private final BoundedLru<K, EntityBaseline> entities;
    private final int buckets;
    private final int minSamples;
    private final double clipSigmas;
    private final Set<Metric> tracked;
    private final RecordFigures figures;

    public BaselineTable(int maxEntities, DetectContext ctx) {
        this(maxEntities, DEFAULT_BUCKETS, DEFAULT_MIN_SAMPLES, DEFAULT_CLIP_SIGMAS, ctx);
    }

    /**
     * A table keeping history only for {@code tracked}: a detection that scores one metric does not pay for the
     * others (about 1 KiB per entity and tracked metric: 60 values and a time-of-day profile of 5 × 24 floats —
     * today, two weekdays, two weekend days).
     */
    public BaselineTable(int maxEntities, Set<Metric> tracked, DetectContext ctx) {
        this(maxEntities, DEFAULT_BUCKETS, DEFAULT_MIN_SAMPLES, DEFAULT_CLIP_SIGMAS, tracked, ctx);
    }

    public BaselineTable(int maxEntities, int buckets, int minSamples, double clipSigmas, DetectContext ctx) {
        this(maxEntities, buckets, minSamples, clipSigmas, EnumSet.allOf(Metric.class), ctx);
    }

    public BaselineTable(int maxEntities, int buckets, int minSamples, double clipSigmas, Set<Metric> tracked,
            DetectContext ctx) {
        this.tracked = EnumSet.copyOf(tracked);
        this.entities = new BoundedLru<>(maxEntities, (k, v) -> ctx.counters().increment(DetectEvent.ENTITIES_EVICTED),
                ctx.memory(), entityBytes(this.tracked.size(), buckets));
        this.buckets = buckets;
        this.minSamples = minSamples;
        this.clipSigmas = clipSigmas;
        this.figures = ctx.figures();
    }

    /** Heap of one entity: per tracked metric its history ring, three 24-hour profiles and peaks; the key. */
    static int entityBytes(int trackedMetrics, int buckets) {
        return 256 + trackedMetrics * (8 * buckets + 3 * (16 + 8 * 24) + 96);
    }

    public EntityBaseline observe(K key, TransactionRecord r, long nowMicros) {
        EntityBaseline b = entities.get(key); // get + put: a computeIfAbsent lambda capturing this allocates per call
        if (b == null) {
            b = newBaseline();
            entities.put(key, b);
        }
        b.observe(r, figures, nowMicros);
        return b;
    }

    private EntityBaseline newBaseline() {
        return new EntityBaseline(buckets, minSamples, clipSigmas, tracked);
    }

    /** The entity's baseline, or null when it is not tracked; counts as "seen". */
    public EntityBaseline get(K key) {
        return entities.get(key);
    }

    /** Every entity, least recently seen first; does not count as "seen". */
    public void forEach(BiConsumer<K, EntityBaseline> action) {
        for (Map.Entry<K, EntityBaseline> e : entities.entries()) {
            action.accept(e.getKey(), e.getValue());
        }
    }

    public void closeBucket() {
        for (EntityBaseline b : entities.values()) {
            b.closeBucket();
        }
    }

    /** Closes the bucket starting at {@code bucketStart}, feeding the time-of-day profiles; see EntityBaseline. */
    public void closeBucket(long bucketStart, boolean learning) {
        for (EntityBaseline b : entities.values()) {
            b.closeBucket(bucketStart, learning);
        }
    }

    public int size() {
        return entities.size();
    }

    public long evictions() {
        return entities.evictions();
    }

    /** Entities in least-recently-seen order, so a restore keeps the eviction order. */
    List<Object> snapshot() {
        List<Object> out = new ArrayList<>(entities.size());
        for (Map.Entry<K, EntityBaseline> e : entities.entries()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", EntityKeys.toTree(e.getKey()));
            m.put("baseline", e.getValue().snapshot());
            out.add(m);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    void restore(Object tree) {
        for (Object o : StateTree.list(tree, "entities")) {
            Map<String, Object> m = StateTree.map(o, "entity");
            K key = (K) EntityKeys.fromTree(m.get("key"));
            EntityBaseline b = newBaseline();
            b.restore(StateTree.map(m.get("baseline"), "baseline"));
            entities.put(key, b);
        }
    }
}
