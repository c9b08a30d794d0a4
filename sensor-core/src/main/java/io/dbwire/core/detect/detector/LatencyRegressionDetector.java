package io.dbwire.core.detect.detector;

import io.dbwire.core.detect.alert.AlertDraft;
import io.dbwire.core.detect.alert.EntityKey;
import io.dbwire.core.detect.alert.Evidence;
import io.dbwire.core.detect.alert.Severity;
import io.dbwire.core.detect.baseline.EntityKeys;
import io.dbwire.core.detect.baseline.LatencySketch;
import io.dbwire.core.detect.baseline.RobustStats;
import io.dbwire.core.detect.engine.BoundedLru;
import io.dbwire.core.detect.engine.DetectEvent;
import io.dbwire.core.detect.state.StateTree;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.TransactionRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code latency_regression}: a server's, or one statement fingerprint's, p95 latency (request first byte to
 * response last byte) far above its baseline for {@link #SUSTAIN_BUCKETS} minutes in a row. Performance, not
 * security: LOW, for the DBA. A bucket with fewer than {@link #MIN_SAMPLES} statements has no p95 and neither
 * scores nor enters the baseline. MITRE T1499 Endpoint Denial of Service (the security reading of a slow server).
 */
public final class LatencyRegressionDetector implements Detector {
    static final String NAME = "latency_regression";
    static final String MITRE = "T1499";
    static final int MIN_SAMPLES = 20;
    /** p95 values of history needed before scoring. */
    static final int MIN_HISTORY = 30;
    /** p95 at least 100 ms, 4× the median p95 and 8 robust sigmas above it. */
    static final double FLOOR_MICROS = 100_000;
    static final double MIN_RATIO = 4;
    static final double MIN_SIGMAS = 8;
    static final int SUSTAIN_BUCKETS = 3;

    static final class State {
        final LatencySketch sketch = new LatencySketch();
        final RobustStats p95s = new RobustStats(BaselineTable.DEFAULT_BUCKETS, BaselineTable.DEFAULT_MIN_SAMPLES,
                BaselineTable.DEFAULT_CLIP_SIGMAS, 1_000);
        int streak;
        String evidence;
        String user;
        String database;
    }

    private final long learningMicros;
    private final BoundedLru<EntityKey, State> entities;

    public LatencyRegressionDetector(DetectContext ctx) {
        this.learningMicros = ctx.config().learningPeriodMicros();
        this.entities = new BoundedLru<>(ctx.config().maxEntities(),
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
    public void observe(TransactionRecord r, long nowMicros, DetectContext ctx) {
        if (r.kind() != RecordKind.STATEMENT || r.status() != RecordStatus.OK || r.response() == null
                || r.response().durationUs() == null) {
            return;
        }
        long us = r.response().durationUs();
        add(entities.computeIfAbsent(new EntityKey.Server(r.server()), k -> new State()), r, us);
        if (r.statement() != null && r.statement().fingerprint() != null
                && !NewStatementDetector.NO_FINGERPRINT.equals(r.statement().fingerprint())) {
            add(entities.computeIfAbsent(new EntityKey.Fingerprint(r.server(), r.statement().fingerprint()),
                    k -> new State()), r, us);
        }
    }

    private static void add(State s, TransactionRecord r, long us) {
        s.sketch.add(us);
        if (s.evidence == null || us >= s.sketch.quantile(0.95)) {
            s.evidence = Evidence.statement(r.statement()) + " (" + us / 1000 + " ms)";
            s.user = r.session().user();
            s.database = r.session().database();
        }
    }

    @Override
    public void onBucketClose(long start, long end, DetectContext ctx) {
        boolean scoring = !ctx.clock().inLearning(end, learningMicros);
        for (Map.Entry<EntityKey, State> e : entities.entries()) {
            State s = e.getValue();
            if (s.sketch.total() < MIN_SAMPLES) {
                s.sketch.clear();
                s.evidence = null;
                continue;
            }
            double p95 = s.sketch.quantile(0.95);
            double median = s.p95s.median();
            boolean slow = s.p95s.size() >= MIN_HISTORY && p95 >= FLOOR_MICROS && p95 >= MIN_RATIO * median
                    && s.p95s.zScore(p95) >= MIN_SIGMAS;
            s.streak = slow ? s.streak + 1 : 0;
            if (scoring && s.streak >= SUSTAIN_BUCKETS) {
                raise(e.getKey(), s, p95, start, end, ctx);
            }
            s.p95s.add(p95);
            s.sketch.clear();
            s.evidence = null;
        }
    }

    private void raise(EntityKey key, State s, double p95, long start, long end, DetectContext ctx) {
        boolean server = key instanceof EntityKey.Server;
        io.dbwire.core.record.Endpoint ep = server ? ((EntityKey.Server) key).server()
                : ((EntityKey.Fingerprint) key).server();
        double ratio = p95 / Math.max(1, s.p95s.median());
        AlertDraft d = ctx.draft(NAME, MITRE)
                .severity(Severity.LOW)
                .score(Math.round(Math.min(70, 30 + 10 * Math.log(ratio / MIN_RATIO) / Math.log(2))))
                .summary("p95 latency of " + (server ? "server " : "a statement on ") + EntityKey.endpoint(ep) + " "
                        + Math.round(p95 / 1000) + " ms for " + s.streak + " minutes, usually "
                        + Math.round(s.p95s.median() / 1000) + " ms")
                .entity(key)
                .server(ep)
                .user(server ? null : s.user)
                .database(s.database)
                .window(end - s.streak * (end - start), end)
                .observed("p95_us", Math.round(p95))
                .observed("statements", s.sketch.total())
                .observed("minutes", s.streak)
                .observed("fingerprint", server ? null : ((EntityKey.Fingerprint) key).fingerprint())
                .baseline("p95_median_us", Math.round(s.p95s.median()))
                .baseline("p95_sigma_us", Math.round(s.p95s.sigma()))
                .baseline("buckets", s.p95s.size())
                .evidence(s.evidence);
        ctx.raise(d, end);
    }

    @Override
    public Object snapshot() {
        List<Object> out = new ArrayList<>();
        for (Map.Entry<EntityKey, State> e : entities.entries()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", EntityKeys.toTree(e.getKey()));
            m.put("p95s", StateTree.toList(e.getValue().p95s.values()));
            out.add(m);
        }
        return out;
    }

    @Override
    public void restore(Object tree) {
        for (Object o : StateTree.list(tree, NAME)) {
            Map<String, Object> m = StateTree.map(o, "entity");
            State s = new State();
            s.p95s.restore(StateTree.doubles(m.get("p95s"), "p95s"));
            entities.put(EntityKeys.fromTree(m.get("key")), s);
        }
    }
}
