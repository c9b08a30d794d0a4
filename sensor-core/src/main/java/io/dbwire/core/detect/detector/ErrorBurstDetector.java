package io.dbwire.core.detect.detector;

import io.dbwire.core.detect.alert.AlertDraft;
import io.dbwire.core.detect.alert.EntityKey;
import io.dbwire.core.detect.alert.Evidence;
import io.dbwire.core.detect.alert.Severity;
import io.dbwire.core.detect.baseline.EntityBaseline;
import io.dbwire.core.detect.baseline.Metric;
import io.dbwire.core.detect.baseline.ProbeErrorClass;
import io.dbwire.core.detect.baseline.ProbeWindow;
import io.dbwire.core.detect.engine.BoundedLru;
import io.dbwire.core.detect.engine.DetectEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.dbwire.core.detect.baseline.RobustStats;
import io.dbwire.core.detect.baseline.Spike;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.TransactionRecord;

/**
 * {@code error_burst}: a client's probing errors (syntax, undefined object, permission, data exception) far above
 * its baseline: SQL injection probing through an application, or someone feeling their way around a schema. MITRE
 * T1190 Exploit Public-Facing Application.
 *
 * <p>Two rules. {@code sliding_window}: at least {@link #SLIDING_FLOOR} probing errors within any 60 s, at least
 * {@link #SLIDING_RATIO}× the client's reference (1 for a client that never erred), checked as each error arrives;
 * it needs no history of its own, only the engine's learning period to be over or {@link #SLIDING_MIN_HISTORY}
 * minutes of the pair's. {@code bucket_spike}: the one-minute bucket against the baseline ({@link #SPIKE}).
 * Severity ranks the error classes ({@link ProbeErrorClass}): three or more classes, or
 * {@link #HIGH_COUNT} errors, is HIGH; otherwise MEDIUM.
 */
public final class ErrorBurstDetector extends ClientBucketDetector {
    static final String NAME = "error_burst";
    static final String MITRE = "T1190";
    /** At least 20 probing errors in the minute, 10 robust sigmas, 5× the median and the peak. */
    static final Spike SPIKE = new Spike(20, 10, 5, MIN_HISTORY);
    /** From this many probing errors in the minute on, HIGH. */
    static final long HIGH_COUNT = 100;
    /** Sliding rule: errors within {@link #SLIDING_WINDOW_MICROS}, and multiple of the client's reference. */
    static final int SLIDING_FLOOR = 20;
    static final double SLIDING_RATIO = 5;
    static final long SLIDING_WINDOW_MICROS = 60_000_000L;
    /** Minutes of the pair's own history that let the sliding rule work while the engine still learns. */
    static final int SLIDING_MIN_HISTORY = 10;
    /** Distinct error classes from which on the burst is HIGH: a probe trying quotes, schema and privileges. */
    static final int HIGH_CLASSES = 3;

    private final BoundedLru<EntityKey.ClientServer, ProbeWindow> windows;

    public ErrorBurstDetector(DetectContext ctx) {
        super(ctx, java.util.EnumSet.of(Metric.PROBE_ERRORS));
        this.windows = new BoundedLru<>(ctx.config().maxEntities(),
                (k, v) -> ctx.counters().increment(DetectEvent.ENTITIES_EVICTED));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String mitre() {
        return MITRE;
    }

    @Override
    protected Metric learntMetric() {
        return Metric.PROBE_ERRORS;
    }

    @Override
    protected void note(TransactionRecord r, EntityBaseline b) {
        if (r.status() == RecordStatus.ERROR && Metric.isProbeError(r.error())) {
            b.noteEvidence(Evidence.of(r), r);
        }
    }

    @Override
    protected void afterObserve(EntityKey.ClientServer key, TransactionRecord r, EntityBaseline b, long nowMicros,
            DetectContext ctx) {
        ProbeErrorClass cls = r.status() == RecordStatus.ERROR ? ProbeErrorClass.of(r.error()) : null;
        if (cls == null) {
            return;
        }
        ProbeWindow w = windows.computeIfAbsent(key, k -> new ProbeWindow(SLIDING_WINDOW_MICROS));
        w.add(nowMicros, cls, Evidence.of(r), AlertDraft.evidenceRecord(r), r.client());
        if (w.size() < SLIDING_FLOOR) {
            return;
        }
        RobustStats h = b.history(Metric.PROBE_ERRORS);
        if (learning(nowMicros, ctx) && h.size() < SLIDING_MIN_HISTORY) {
            return;
        }
        long bucketStart = ctx.clock().bucketStart(nowMicros);
        // the burst's own earlier minute must not raise the bar it is measured against
        double reference = Math.min(Spike.reference(b, Metric.PROBE_ERRORS, bucketStart),
                w.referenceBefore() < 0 ? Double.MAX_VALUE : w.referenceBefore());
        double ratio = w.size() / reference;
        if (ratio < SLIDING_RATIO) {
            return;
        }
        Severity severity = w.classes().size() >= HIGH_CLASSES || w.size() >= HIGH_COUNT ? Severity.HIGH
                : Severity.MEDIUM;
        AlertDraft d = ctx.draft(NAME, MITRE)
                .entity(key)
                .client(key.clientIp())
                .server(key.server())
                .user(b.lastUser())
                .database(b.lastDatabase())
                .window(w.firstMicros(), nowMicros)
                .severity(severity)
                .score(classScore(w, ratio))
                .summary(w.size() + " SQL errors (" + classNames(w) + ") within "
                        + Math.round((nowMicros - w.firstMicros()) / 1e6) + " s from " + key.clientIp() + " to "
                        + EntityKey.endpoint(key.server()) + ", usually " + Math.round(h.median()) + " a minute")
                .observed("errors", w.size())
                .observed("window_seconds", Spike.round1((nowMicros - w.firstMicros()) / 1e6))
                .observed("ratio", Spike.round1(ratio))
                .observed("classes", classNames(w))
                .baseline("median", Spike.round1(h.median()))
                .baseline("peak", Spike.round1(b.peak(Metric.PROBE_ERRORS)))
                .baseline("reference", Spike.round1(reference))
                .baseline("buckets", h.size())
                .rule("sliding_window")
                .learnt(nowMicros - b.firstSeenMicros(), h.size());
        w.evidence((item, rec, client) -> {
            d.evidence(item);
            d.record(rec, client);
        });
        ctx.raise(d, nowMicros);
    }

    /** 50 for one class at the minimum ratio; each further class and each doubling of the ratio adds. */
    private static double classScore(ProbeWindow w, double ratio) {
        double byClass = 5 * (w.classWeight() - w.classes().get(0).weight());
        double byRatio = 10 * Math.log(ratio / SLIDING_RATIO) / Math.log(2);
        return Math.min(95, 50 + byClass + Math.max(0, byRatio));
    }

    /** e.g. {@code syntax 12, invalid_input 8}: classes most typical of injection first, with their counts. */
    private static String classNames(ProbeWindow w) {
        StringBuilder b = new StringBuilder();
        for (ProbeErrorClass c : w.classes()) {
            b.append(b.length() == 0 ? "" : ", ").append(c.json()).append(' ').append(w.count(c));
        }
        return b.toString();
    }

    /** Quiet pairs' windows are dropped at each bucket close, so only probing pairs keep one. */
    @Override
    protected void beforeRolling(long start, long end, boolean learning) {
        List<EntityKey.ClientServer> quiet = new ArrayList<>();
        for (Map.Entry<EntityKey.ClientServer, ProbeWindow> e : windows.entries()) {
            e.getValue().expire(end);
            if (e.getValue().isEmpty()) {
                quiet.add(e.getKey());
            }
        }
        quiet.forEach(windows::remove);
        table.forEach((k, b) -> {
            ProbeWindow w = windows.get(k);
            if (w != null) {
                w.referenceBefore(Spike.reference(b, Metric.PROBE_ERRORS, start)); // before this minute enters it
            }
        });
    }

    @Override
    protected void score(EntityKey.ClientServer key, EntityBaseline b, long start, long end, DetectContext ctx) {
        double ratio = SPIKE.ratio(b, Metric.PROBE_ERRORS, start);
        if (ratio == 0) {
            return;
        }
        long v = b.current(Metric.PROBE_ERRORS);
        long statements = b.current(Metric.STATEMENTS);
        RobustStats h = b.history(Metric.PROBE_ERRORS);
        AlertDraft d = pairDraft(ctx, key, b, start, end)
                .severity(v >= HIGH_COUNT ? Severity.HIGH : Severity.MEDIUM)
                .score(SPIKE.score(ratio))
                .summary(v + " SQL errors in one minute from " + key.clientIp() + " to "
                        + EntityKey.endpoint(key.server()) + " (of " + statements + " statements), usually "
                        + Math.round(h.median()))
                .observed("errors", v)
                .observed("statements", statements)
                .observed("ratio", Spike.round1(ratio))
                .baseline("median", Spike.round1(h.median()))
                .baseline("sigma", Spike.round1(h.sigma()))
                .baseline("peak", Spike.round1(b.peak(Metric.PROBE_ERRORS)))
                .baseline("reference", Spike.round1(Spike.reference(b, Metric.PROBE_ERRORS, start)))
                .baseline("buckets", h.size())
                .rule("bucket_spike");
        ctx.raise(d, end);
    }
}
