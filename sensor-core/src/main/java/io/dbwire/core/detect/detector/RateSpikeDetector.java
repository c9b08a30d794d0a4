package io.dbwire.core.detect.detector;

import io.dbwire.core.detect.alert.AlertDraft;
import io.dbwire.core.detect.alert.EntityKey;
import io.dbwire.core.detect.alert.Evidence;
import io.dbwire.core.detect.alert.Severity;
import io.dbwire.core.detect.baseline.EntityBaseline;
import io.dbwire.core.detect.baseline.Metric;
import io.dbwire.core.detect.baseline.RobustStats;
import io.dbwire.core.detect.baseline.Spike;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.StatementInfo;
import io.dbwire.core.record.TransactionRecord;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code rate_spike}: a client sends far more statements to a server in one minute than its baseline: scripted
 * dumping, enumeration, or a runaway job. MITRE T1119 Automated Collection.
 */
public final class RateSpikeDetector extends ClientBucketDetector {
    static final String NAME = "rate_spike";
    static final String MITRE = "T1119";
    /** At least 600 statements in the minute (10/s), 10 robust sigmas, 5× the median and the peak. */
    static final Spike SPIKE = new Spike(600, 10, 5, MIN_HISTORY);
    /** From 20× the reference on, HIGH. */
    static final double HIGH_RATIO = 20;
    /** Statement texts whose evidence is remembered; past it the memo starts again. */
    static final int EVIDENCE_MEMO_LIMIT = 4096;

    /**
     * Every record is a candidate for the bucket's evidence, but masking its text is the same work for every
     * execution of one statement (it was 8 % of replay's time): remember it per statement text.
     */
    private final Map<String, String> evidenceByText = new HashMap<>();

    public RateSpikeDetector(DetectContext ctx) {
        super(ctx, java.util.EnumSet.of(Metric.STATEMENTS));
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
        return Metric.STATEMENTS;
    }

    @Override
    protected void note(TransactionRecord r, EntityBaseline b) {
        b.noteEvidence(evidence(r), r);
    }

    /** {@link Evidence#of}, from the memo for error-free statements with text. */
    private String evidence(TransactionRecord r) {
        StatementInfo s = r.statement();
        if (r.kind() != RecordKind.STATEMENT || s == null || s.text() == null || r.error() != null) {
            return Evidence.of(r);
        }
        if (evidenceByText.size() >= EVIDENCE_MEMO_LIMIT) {
            evidenceByText.clear();
        }
        String evidence = evidenceByText.get(s.text()); // not computeIfAbsent: its lambda captures s
        if (evidence == null) {
            evidence = Evidence.statement(s);
            evidenceByText.put(s.text(), evidence);
        }
        return evidence;
    }

    @Override
    protected void score(EntityKey.ClientServer key, EntityBaseline b, long start, long end, DetectContext ctx) {
        double ratio = SPIKE.ratio(b, Metric.STATEMENTS, start);
        if (ratio == 0) {
            return;
        }
        long v = b.current(Metric.STATEMENTS);
        RobustStats h = b.history(Metric.STATEMENTS);
        AlertDraft d = judged(pairDraft(ctx, key, b, start, end), key, start,
                ratio >= HIGH_RATIO ? Severity.HIGH : Severity.MEDIUM, SPIKE.score(ratio),
                v + " statements in one minute from " + key.clientIp() + " to "
                        + EntityKey.endpoint(key.server()) + ", " + Math.round(ratio) + "x its usual")
                .observed("statements", v)
                .observed("ratio", Spike.round1(ratio))
                .baseline("median", Spike.round1(h.median()))
                .baseline("sigma", Spike.round1(h.sigma()))
                .baseline("peak", Spike.round1(b.peak(Metric.STATEMENTS)))
                .baseline("reference", Spike.round1(Spike.reference(b, Metric.STATEMENTS, start)))
                .baseline("buckets", h.size())
                .rule("bucket_spike");
        ctx.raise(d, end);
    }
}
