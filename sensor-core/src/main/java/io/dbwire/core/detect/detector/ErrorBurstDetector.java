package io.dbwire.core.detect.detector;

import io.dbwire.core.detect.alert.AlertDraft;
import io.dbwire.core.detect.alert.EntityKey;
import io.dbwire.core.detect.alert.Evidence;
import io.dbwire.core.detect.alert.Severity;
import io.dbwire.core.detect.baseline.EntityBaseline;
import io.dbwire.core.detect.baseline.Metric;
import io.dbwire.core.detect.baseline.RobustStats;
import io.dbwire.core.detect.baseline.Spike;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.TransactionRecord;

/**
 * {@code error_burst}: a client's probing errors (syntax, undefined object, permission, data exception) in one
 * minute far above its baseline: SQL injection probing through an application, or someone feeling their way
 * around a schema. MITRE T1190 Exploit Public-Facing Application.
 */
public final class ErrorBurstDetector extends ClientBucketDetector {
    static final String NAME = "error_burst";
    static final String MITRE = "T1190";
    /** At least 20 probing errors in the minute, 10 robust sigmas, 5× the median and the peak. */
    static final Spike SPIKE = new Spike(20, 10, 5, MIN_HISTORY);
    /** From this many probing errors in the minute on, HIGH. */
    static final long HIGH_COUNT = 100;

    public ErrorBurstDetector(DetectContext ctx) {
        super(ctx, java.util.EnumSet.of(Metric.PROBE_ERRORS));
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
                .baseline("buckets", h.size());
        ctx.raise(d, end);
    }
}
