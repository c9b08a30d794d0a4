package io.dbwire.core.detect.detector;

import io.dbwire.core.detect.alert.AlertDraft;
import io.dbwire.core.detect.alert.EntityKey;
import io.dbwire.core.detect.alert.Severity;
import io.dbwire.core.detect.baseline.EntityBaseline;
import io.dbwire.core.detect.baseline.Metric;
import io.dbwire.core.detect.engine.DetectEvent;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.TransactionRecord;

/**
 * Base of the detections that compare a (client, server) pair's one-minute bucket against its own baseline
 * ({@code rate_spike}, {@code error_burst}, {@code data_staging}): one {@link BaselineTable} of statements, fed
 * by every statement record, scored at each bucket close once the engine's learning period is over, then rolled.
 */
abstract class ClientBucketDetector implements Detector {
    /** Buckets of history before a pair is scored (the baseline itself trusts 10; scoring waits for 30). */
    static final int MIN_HISTORY = 30;

    /** Score of a verdict capped for an immature baseline: within the LOW band. */
    static final double IMMATURE_SCORE = 30;

    protected final BaselineTable<EntityKey.ClientServer> table;
    private final long learningMicros;
    private final DetectContext ctx;
    /** Per server, at each scored bucket: the hours of the day any of its pairs was watched through before. */
    private final java.util.Map<io.dbwire.core.record.Endpoint, Integer> serverWatched = new java.util.HashMap<>();

    /** @param tracked the metrics this detection scores (only those keep a history) */
    ClientBucketDetector(DetectContext ctx, java.util.Set<Metric> tracked) {
        this.table = new BaselineTable<>(ctx.config().maxEntities(), tracked, ctx);
        this.learningMicros = ctx.config().learningPeriodMicros();
        this.ctx = ctx;
    }

    @Override
    public final void observe(TransactionRecord r, long nowMicros, DetectContext ctx) {
        if (r.kind() != RecordKind.STATEMENT) {
            return;
        }
        EntityKey.ClientServer key = ctx.keys().clientServer(r.client().ip(), r.server());
        EntityBaseline b = table.observe(key, r, nowMicros);
        note(r, b);
        afterObserve(key, r, b, nowMicros, ctx);
    }

    /** A detection that also looks at records as they come (not only at bucket close) does it here. */
    protected void afterObserve(EntityKey.ClientServer key, TransactionRecord r, EntityBaseline b, long nowMicros,
            DetectContext ctx) {}

    /** Whether the engine's learning period is still on at {@code nowMicros}. */
    protected final boolean learning(long nowMicros, DetectContext ctx) {
        return ctx.clock().inLearning(nowMicros, learningMicros);
    }

    /** Keeps evidence for a later alert, e.g. {@code b.noteEvidence(...)} for the statements that matter. */
    protected abstract void note(TransactionRecord r, EntityBaseline b);

    /** Scores one pair's closed bucket; called only after the learning period. */
    protected abstract void score(EntityKey.ClientServer key, EntityBaseline b, long start, long end, DetectContext ctx);

    /** The metric whose history the alert's {@code samples} counts. */
    protected abstract io.dbwire.core.detect.baseline.Metric learntMetric();

    /** Called once before the pairs are scored, e.g. to compute per-server peer figures. */
    protected void beforeScoring(long start, long end, DetectContext ctx) {}

    /** Called at every bucket close (learning or not) before the open bucket's counts roll into the history. */
    protected void beforeRolling(long start, long end, boolean learning) {}

    @Override
    public final void onBucketClose(long start, long end, DetectContext ctx) {
        boolean learning = ctx.clock().inLearning(end, learningMicros);
        if (!learning) {
            serverWatched.clear();
            table.forEach((k, b) -> serverWatched.merge(k.server(), b.watchedBefore(start), (x, y) -> x | y));
            beforeScoring(start, end, ctx);
            table.forEach((k, b) -> score(k, b, start, end, ctx));
        }
        beforeRolling(start, end, learning);
        table.closeBucket(start, learning);
    }

    /**
     * Sets a volume or rate verdict's severity, summary and score, capped at LOW while the server has not been
     * watched through this hour of the day on an earlier day ({@link io.dbwire.core.detect.baseline.SlotCoverage}):
     * then nothing says what the server normally sends at this hour (its nightly export, a month-end report), so a
     * heavy minute cannot be called anomalous with confidence. The alert says so and what it would have been.
     */
    protected final AlertDraft judged(AlertDraft d, EntityKey.ClientServer key, long start, Severity severity,
            double score, String summary) {
        int mask = serverWatched.getOrDefault(key.server(), 0);
        boolean mature = io.dbwire.core.detect.baseline.SlotCoverage.covers(mask, start);
        d.baseline("hours_watched", io.dbwire.core.detect.baseline.SlotCoverage.hours(mask))
                .baseline("hour_watched_before", mature);
        if (mature || severity.compareTo(Severity.LOW) <= 0) {
            return d.severity(severity).score(score).summary(summary);
        }
        ctx.counters().increment(DetectEvent.SEVERITY_CAPPED_IMMATURE);
        return d.severity(Severity.LOW).score(Math.min(score, IMMATURE_SCORE))
                .observed("uncapped_severity", severity.json())
                .summary(summary + "; low, not " + severity.json() + ": the server was never watched at this hour"
                        + " before, so what is normal here is not known yet");
    }

    /** A draft with the pair, its last user and database, and the bucket as the window. */
    protected AlertDraft pairDraft(DetectContext ctx, EntityKey.ClientServer key, EntityBaseline b, long start,
            long end) {
        AlertDraft d = ctx.draft(name(), mitre())
                .entity(key)
                .client(key.clientIp())
                .server(key.server())
                .user(b.lastUser())
                .database(b.lastDatabase())
                .window(start, end);
        for (String e : b.evidence()) {
            d.evidence(e);
        }
        for (io.dbwire.core.detect.alert.Explanation.EvidenceRecord e : b.evidenceRecords()) {
            d.record(e, b.evidenceClient());
        }
        return d.learnt(end - b.firstSeenMicros(), b.history(learntMetric()).size());
    }

    @Override
    public Object snapshot() {
        return table.snapshot();
    }

    @Override
    public void restore(Object tree) {
        table.restore(tree);
    }
}
