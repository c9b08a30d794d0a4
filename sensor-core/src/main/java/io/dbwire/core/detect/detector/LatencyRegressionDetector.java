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
import io.dbwire.core.record.StatementInfo;
import io.dbwire.core.record.TransactionRecord;
import io.dbwire.core.detect.baseline.Spike;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code latency_regression}: a server's, or one statement fingerprint's, p95 latency (request first byte to
 * response last byte) far above its baseline for {@link #SUSTAIN_BUCKETS} minutes in a row. A bucket with fewer
 * than {@link #MIN_SAMPLES} statements has no p95 and neither scores nor enters the baseline. MITRE T1499 Endpoint
 * Denial of Service (the security reading of a slow server).
 *
 * <p>The factor is the larger of the p95's and the median's ratio to their usual values: a lock or a slow plan makes
 * the typical statement slow, while the usual p95 of a minute is its few worst statements, which on a loaded client
 * or network can be many times the median and so caps the p95's ratio far below what the statements suffer.
 *
 * <p>Severity scales with the factor, the duration, the breadth (clients whose statements were slow in the last
 * minute) and the importance (the fingerprint's share of the server's statements in that minute; a server's own
 * p95 is all of them): {@link #MEDIUM_RATIO}× for {@link #MEDIUM_MINUTES} minutes on at least
 * {@link #MEDIUM_CLIENTS} clients, on the server or a statement with at least {@link #MEDIUM_SHARE} of its
 * traffic, is MEDIUM; with two of {@link #HIGH_RATIO}×, {@link #HIGH_MINUTES} minutes, {@link #HIGH_CLIENTS}
 * clients and half the server's traffic it is HIGH; anything less is LOW.
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
    static final double MEDIUM_RATIO = 10;
    static final int MEDIUM_MINUTES = 5;
    static final int MEDIUM_CLIENTS = 2;
    static final double MEDIUM_SHARE = 0.1;
    static final double HIGH_RATIO = 50;
    static final int HIGH_MINUTES = 15;
    static final int HIGH_CLIENTS = 5;
    static final double HIGH_SHARE = 0.5;
    /** Distinct slow clients counted per entity and minute. */
    static final int MAX_CLIENTS = 64;

    static final class State {
        /** Keeps the p95 up to date: every statement is compared with it. */
        final LatencySketch sketch = new LatencySketch(0.95);
        final RobustStats p95s = new RobustStats(BaselineTable.DEFAULT_BUCKETS, BaselineTable.DEFAULT_MIN_SAMPLES,
                BaselineTable.DEFAULT_CLIP_SIGMAS, 1_000);
        /** The minutes' medians, beside their p95s: the severity's factor uses both (see the class comment). */
        final RobustStats p50s = new RobustStats(BaselineTable.DEFAULT_BUCKETS, BaselineTable.DEFAULT_MIN_SAMPLES,
                BaselineTable.DEFAULT_CLIP_SIGMAS, 100);
        int streak;
        String user;
        String database;
        long firstSeenMicros;
        /**
         * The open minute's evidence: its latest statement at or above the minute's p95 (the first one until
         * then). Only what the alert needs is kept, and its text is made only when an alert is: most minutes
         * raise none, and masking the text for every slow statement was a quarter of what this detector cost.
         */
        boolean evidenceNoted;
        StatementInfo evidenceStatement;
        long evidenceMicros;
        long evidenceTsMicros;
        long evidenceConnection;
        RecordKind evidenceKind;
        io.dbwire.core.record.Endpoint evidenceClient;
        /** Clients with a statement at least {@link #MIN_RATIO}× the median p95 in the open minute. */
        final Set<String> slowClients = new HashSet<>();

        State(long firstSeenMicros) {
            this.firstSeenMicros = firstSeenMicros;
        }

        void note(TransactionRecord r, long us) {
            evidenceNoted = true;
            evidenceStatement = r.statement();
            evidenceMicros = us;
            evidenceTsMicros = r.tsMicros();
            evidenceConnection = r.connectionId();
            evidenceKind = r.kind();
            evidenceClient = r.client();
            user = r.session().user();
            database = r.session().database();
        }

        /** The evidence line as it reads in the alert. */
        String evidence() {
            return Evidence.statement(evidenceStatement) + " (" + evidenceMicros / 1000 + " ms)";
        }

        void clearBucket() {
            sketch.clear();
            evidenceNoted = false;
            evidenceStatement = null;
            evidenceClient = null;
            evidenceKind = null;
            slowClients.clear();
        }
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
        add(state(ctx.keys().server(r.server()), nowMicros), r, us);
        if (r.statement() != null && r.statement().fingerprint() != null
                && !NewStatementDetector.NO_FINGERPRINT.equals(r.statement().fingerprint())) {
            add(state(ctx.keys().fingerprint(r.server(), r.statement().fingerprint()), nowMicros), r, us);
        }
    }

    /** The entity's state, made on first sight (get + put: a lambda capturing nowMicros allocated per record). */
    private State state(EntityKey key, long nowMicros) {
        State s = entities.get(key);
        if (s == null) {
            s = new State(nowMicros);
            entities.put(key, s);
        }
        return s;
    }

    private static void add(State s, TransactionRecord r, long us) {
        s.sketch.add(us);
        if (s.p95s.size() >= MIN_HISTORY && us >= MIN_RATIO * Math.max(1_000, s.p95s.median())
                && s.slowClients.size() < MAX_CLIENTS) {
            s.slowClients.add(r.client().ip());
        }
        if (!s.evidenceNoted || us >= s.sketch.trackedQuantile()) {
            s.note(r, us);
        }
    }

    @Override
    public void onBucketClose(long start, long end, DetectContext ctx) {
        boolean scoring = !ctx.clock().inLearning(end, learningMicros);
        Map<io.dbwire.core.record.Endpoint, Long> serverTotals = new HashMap<>();
        for (Map.Entry<EntityKey, State> e : entities.entries()) {
            if (e.getKey() instanceof EntityKey.Server) {
                serverTotals.put(((EntityKey.Server) e.getKey()).server(), e.getValue().sketch.total());
            }
        }
        for (Map.Entry<EntityKey, State> e : entities.entries()) {
            State s = e.getValue();
            if (s.sketch.total() < MIN_SAMPLES) {
                s.clearBucket();
                continue;
            }
            double p95 = s.sketch.quantile(0.95);
            double p50 = s.sketch.quantile(0.5);
            double median = s.p95s.median();
            boolean slow = s.p95s.size() >= MIN_HISTORY && p95 >= FLOOR_MICROS && p95 >= MIN_RATIO * median
                    && s.p95s.zScore(p95) >= MIN_SIGMAS;
            s.streak = slow ? s.streak + 1 : 0;
            if (scoring && s.streak >= SUSTAIN_BUCKETS) {
                raise(e.getKey(), s, p95, p50, share(e.getKey(), s, serverTotals), start, end, ctx);
            }
            s.p95s.add(p95);
            s.p50s.add(p50);
            s.clearBucket();
        }
    }

    /** The entity's share of its server's statements in the minute: 1 for the server itself. */
    private static double share(EntityKey key, State s, Map<io.dbwire.core.record.Endpoint, Long> serverTotals) {
        if (key instanceof EntityKey.Server) {
            return 1;
        }
        long total = serverTotals.getOrDefault(((EntityKey.Fingerprint) key).server(), 0L);
        return total == 0 ? 0 : Math.min(1, (double) s.sketch.total() / total);
    }

    /** LOW, MEDIUM or HIGH from factor, minutes, slow clients and share (see the class comment). */
    static Severity severity(double ratio, int minutes, int clients, double share) {
        if (ratio < MEDIUM_RATIO || minutes < MEDIUM_MINUTES || clients < MEDIUM_CLIENTS || share < MEDIUM_SHARE) {
            return Severity.LOW;
        }
        int strong = (ratio >= HIGH_RATIO ? 1 : 0) + (minutes >= HIGH_MINUTES ? 1 : 0)
                + (clients >= HIGH_CLIENTS ? 1 : 0) + (share >= HIGH_SHARE ? 1 : 0);
        return strong >= 2 ? Severity.HIGH : Severity.MEDIUM;
    }

    /** 30 at 4× rising 10 per doubling (at most 70), plus duration, breadth and share; within the severity's band. */
    static double score(double ratio, int minutes, int clients, double share, Severity severity) {
        double v = Math.min(70, 30 + 10 * Math.log(ratio / MIN_RATIO) / Math.log(2))
                + Math.min(10, minutes / 3.0) + Math.min(10, 2.0 * clients) + 5 * share;
        double floor = severity == Severity.HIGH ? 75 : severity == Severity.MEDIUM ? 50 : 0;
        double ceiling = severity == Severity.LOW ? 70 : 95;
        return Math.round(Math.max(floor, Math.min(ceiling, v)));
    }

    /**
     * How many times slower than usual: the larger of the p95's and the median's ratio; the median's only once it
     * has the same history as the p95 (a snapshot of an earlier version has no medians).
     */
    static double factor(State s, double p95, double p50) {
        double p95Ratio = p95 / Math.max(1, s.p95s.median());
        if (s.p50s.size() < MIN_HISTORY) {
            return p95Ratio;
        }
        return Math.max(p95Ratio, p50 / Math.max(1, s.p50s.median()));
    }

    private void raise(EntityKey key, State s, double p95, double p50, double share, long start, long end,
            DetectContext ctx) {
        boolean server = key instanceof EntityKey.Server;
        io.dbwire.core.record.Endpoint ep = server ? ((EntityKey.Server) key).server()
                : ((EntityKey.Fingerprint) key).server();
        double ratio = factor(s, p95, p50);
        int clients = s.slowClients.size();
        Severity severity = severity(ratio, s.streak, clients, share);
        AlertDraft d = ctx.draft(NAME, MITRE)
                .severity(severity)
                .score(score(ratio, s.streak, clients, share, severity))
                .summary("p95 latency of " + (server ? "server " : "a statement on ") + EntityKey.endpoint(ep) + " "
                        + Math.round(p95 / 1000) + " ms for " + s.streak + " minutes, usually "
                        + Math.round(s.p95s.median() / 1000) + " ms; median " + Math.round(p50 / 1000)
                        + " ms, usually " + Math.round(s.p50s.median() / 1000) + " ms (" + Math.round(ratio) + "x, "
                        + clients
                        + (clients == 1 ? " client" : " clients") + (server ? "" : ", " + Math.round(100 * share)
                        + " % of the server's statements") + ")")
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
                .observed("p50_us", Math.round(p50))
                .baseline("p50_median_us", Math.round(s.p50s.median()))
                .observed("ratio", Spike.round1(ratio))
                .observed("clients", clients)
                .observed("share", Spike.round1(share * 100) / 100)
                .rule(severity == Severity.LOW ? "sustained_p95" : "sustained_p95_broad")
                .learnt(s.firstSeenMicros == Long.MIN_VALUE ? -1 : end - s.firstSeenMicros, s.p95s.size())
                .evidence(s.evidenceNoted ? s.evidence() : null);
        if (s.evidenceNoted) {
            d.record(AlertDraft.evidenceRecord(s.evidenceTsMicros, s.evidenceConnection, s.evidenceKind,
                    s.evidenceStatement), s.evidenceClient);
        }
        ctx.raise(d, end);
    }

    @Override
    public Object snapshot() {
        List<Object> out = new ArrayList<>();
        for (Map.Entry<EntityKey, State> e : entities.entries()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", EntityKeys.toTree(e.getKey()));
            m.put("p95s", StateTree.toList(e.getValue().p95s.values()));
            m.put("p50s", StateTree.toList(e.getValue().p50s.values()));
            m.put("first_seen", e.getValue().firstSeenMicros);
            out.add(m);
        }
        return out;
    }

    @Override
    public void restore(Object tree) {
        for (Object o : StateTree.list(tree, NAME)) {
            Map<String, Object> m = StateTree.map(o, "entity");
            State s = new State(m.containsKey("first_seen") ? StateTree.asLong(m.get("first_seen"), "first_seen")
                    : Long.MIN_VALUE);
            s.p95s.restore(StateTree.doubles(m.get("p95s"), "p95s"));
            if (m.containsKey("p50s")) {
                s.p50s.restore(StateTree.doubles(m.get("p50s"), "p50s"));
            }
            entities.put(EntityKeys.fromTree(m.get("key")), s);
        }
    }
}
