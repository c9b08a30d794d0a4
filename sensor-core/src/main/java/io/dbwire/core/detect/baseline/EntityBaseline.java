package io.dbwire.core.detect.baseline;

import io.dbwire.core.detect.alert.AlertDraft;
import io.dbwire.core.detect.alert.Explanation;
import io.dbwire.core.detect.state.StateTree;
import io.dbwire.core.record.TransactionRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One entity's figures: the open bucket's counts per {@link Metric}, a {@link RobustStats} over the last closed
 * buckets for each, and the peak of what was stored (values after clipping, so an alerting burst does not raise
 * it beyond the clip edge). The open bucket also keeps a few evidence strings for the alert that may follow.
 */
public final class EntityBaseline {
    /** Evidence strings kept per entity in the open bucket. */
    static final int MAX_BUCKET_EVIDENCE = 8;

    private final long[] current = new long[Metric.ALL.length];
    private final RobustStats[] history = new RobustStats[Metric.ALL.length];
    private final double[] peak = new double[Metric.ALL.length];
    private final HourProfile[] hours = new HourProfile[Metric.ALL.length];
    private final SlotCoverage watched = new SlotCoverage();
    private List<String> evidence;
    private List<Explanation.EvidenceRecord> evidenceRecords;
    private io.dbwire.core.record.Endpoint evidenceClient;
    private long firstSeenMicros = Long.MIN_VALUE;
    private long lastSeenMicros;
    private String lastUser;
    private String lastDatabase;

    /** What {@link #history} gives for a metric the table does not track: always empty. */
    private static final RobustStats UNTRACKED = new RobustStats(1, 1, 0, 1.0);

    /** @param tracked metrics that get a history; the others only count the open bucket */
    public EntityBaseline(int buckets, int minSamples, double clipSigmas, java.util.Set<Metric> tracked) {
        for (Metric m : tracked) {
            history[m.ordinal()] = new RobustStats(buckets, minSamples, clipSigmas, 1.0);
            hours[m.ordinal()] = new HourProfile();
        }
    }

    public void observe(TransactionRecord r, long nowMicros) {
        Metric.accumulate(r, current);
        noteSeen(r, nowMicros);
    }

    /** As {@link #observe(TransactionRecord, long)}, with the record's figures worked out once for all tables. */
    public void observe(TransactionRecord r, RecordFigures figures, long nowMicros) {
        long[] add = figures.of(r);
        for (int i = 0; i < add.length; i++) {
            current[i] += add[i];
        }
        noteSeen(r, nowMicros);
    }

    private void noteSeen(TransactionRecord r, long nowMicros) {
        if (firstSeenMicros == Long.MIN_VALUE) {
            firstSeenMicros = nowMicros;
        }
        lastSeenMicros = nowMicros;
        if (r.session().user() != null) {
            lastUser = r.session().user();
            lastDatabase = r.session().database();
        }
    }

    /** User of the latest record that named one (for the alert's {@code user}), or null. */
    public String lastUser() {
        return lastUser;
    }

    public String lastDatabase() {
        return lastDatabase;
    }

    /** Keeps one evidence item for this bucket (distinct, bounded). */
    public void noteEvidence(String item) {
        if (evidence == null) {
            evidence = new ArrayList<>(4);
        }
        if (evidence.size() < MAX_BUCKET_EVIDENCE && !evidence.contains(item)) {
            evidence.add(item);
        }
    }

    /** Keeps one evidence item for this bucket and the record it came from (both distinct, bounded). */
    public void noteEvidence(String item, TransactionRecord r) {
        noteEvidence(item);
        if (evidenceRecords == null) {
            evidenceRecords = new ArrayList<>(4);
        }
        if (evidenceRecords.size() < MAX_BUCKET_EVIDENCE) {
            evidenceRecords.add(AlertDraft.evidenceRecord(r));
        }
        if (evidenceClient == null) {
            evidenceClient = r.client();
        }
    }

    /** Client address and port of the first evidence record's connection, or null. */
    public io.dbwire.core.record.Endpoint evidenceClient() {
        return evidenceClient;
    }

    /** Records behind the open bucket's evidence, oldest first. */
    public List<Explanation.EvidenceRecord> evidenceRecords() {
        return evidenceRecords == null ? List.of() : evidenceRecords;
    }

    /** Evidence noted in the open bucket, oldest first. */
    public List<String> evidence() {
        return evidence == null ? List.of() : evidence;
    }

    /** Moves the open bucket's counts into the history and starts an empty bucket. */
    public void closeBucket() {
        closeBucket(Long.MIN_VALUE, false);
    }

    /**
     * Moves the open bucket {@code [bucketStart, …)} into the history. During the learning period the peak takes
     * the raw value (everything seen while learning is normal, so a job that runs once an hour or once a night
     * with a long learning period is known); afterwards it takes the stored, clipped value.
     */
    public void closeBucket(long bucketStart, boolean learning) {
        for (Metric m : Metric.ALL) {
            RobustStats h = history[m.ordinal()];
            if (h != null) {
                h.add(current[m.ordinal()]);
                peak[m.ordinal()] = Math.max(peak[m.ordinal()], learning ? current[m.ordinal()] : h.last());
                if (bucketStart != Long.MIN_VALUE) {
                    hours[m.ordinal()].add(bucketStart, current[m.ordinal()]);
                }
            }
            current[m.ordinal()] = 0;
        }
        if (bucketStart != Long.MIN_VALUE) {
            watched.watched(bucketStart);
        }
        evidence = null;
        evidenceRecords = null;
        evidenceClient = null;
    }

    /** Count in the open bucket. */
    public long current(Metric m) {
        return current[m.ordinal()];
    }

    /** The metric's history; an always-empty one when the table does not track it. */
    public RobustStats history(Metric m) {
        RobustStats h = history[m.ordinal()];
        return h == null ? UNTRACKED : h;
    }

    /** Largest value stored in the history of {@code m} so far (clipped values count at their clip edge). */
    public double peak(Metric m) {
        return peak[m.ordinal()];
    }

    /**
     * The level this entity shows at this time of day (see {@link HourProfile}), or -1 while fewer than two days
     * of history exist (or the metric is not tracked).
     */
    public double normalAt(Metric m, long bucketStart) {
        HourProfile p = hours[m.ordinal()];
        return p == null ? -1 : p.normalAt(bucketStart);
    }

    /** Hours of the day this entity was watched through on a day before {@code bucketStart}'s (see {@link SlotCoverage}). */
    public int watchedBefore(long bucketStart) {
        return watched.watchedBefore(bucketStart);
    }

    public long firstSeenMicros() {
        return firstSeenMicros;
    }

    public long lastSeenMicros() {
        return lastSeenMicros;
    }

    public Map<String, Object> snapshot() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("first_seen", firstSeenMicros);
        out.put("last_seen", lastSeenMicros);
        Map<String, Object> hist = new LinkedHashMap<>();
        Map<String, Object> peaks = new LinkedHashMap<>();
        Map<String, Object> hoursOut = new LinkedHashMap<>();
        for (Metric m : Metric.ALL) {
            if (history[m.ordinal()] != null) {
                hist.put(m.name(), StateTree.toList(history[m.ordinal()].values()));
                peaks.put(m.name(), peak[m.ordinal()]);
                hoursOut.put(m.name(), hours[m.ordinal()].snapshot());
            }
        }
        out.put("history", hist);
        out.put("peak", peaks);
        out.put("hours", hoursOut);
        out.put("watched", watched.snapshot());
        return out;
    }

    public void restore(Map<String, Object> in) {
        firstSeenMicros = StateTree.asLong(in.get("first_seen"), "first_seen");
        lastSeenMicros = StateTree.asLong(in.get("last_seen"), "last_seen");
        Map<String, Object> hist = StateTree.map(in.get("history"), "history");
        Map<String, Object> peaks = StateTree.map(in.get("peak"), "peak");
        for (Metric m : Metric.ALL) {
            // a metric added in a later version is simply absent from an older snapshot
            if (hist.containsKey(m.name()) && history[m.ordinal()] != null) {
                history[m.ordinal()].restore(StateTree.doubles(hist.get(m.name()), "history." + m.name()));
                peak[m.ordinal()] = StateTree.asDouble(peaks.get(m.name()), "peak." + m.name());
                Object h = StateTree.map(in.get("hours"), "hours").get(m.name());
                if (h != null) {
                    hours[m.ordinal()].restore(h);
                }
            }
        }
        if (in.containsKey("watched")) { // absent in snapshots of earlier versions: nothing counts as watched
            watched.restore(in.get("watched"));
        }
    }
}
