package io.dbwire.core.detect.detector;

import io.dbwire.core.detect.alert.AlertDraft;
import io.dbwire.core.detect.alert.EntityKey;
import io.dbwire.core.detect.alert.Evidence;
import io.dbwire.core.detect.alert.InternedKeys;
import io.dbwire.core.detect.alert.Severity;
import io.dbwire.core.detect.baseline.EntityBaseline;
import io.dbwire.core.detect.baseline.Metric;
import io.dbwire.core.detect.baseline.RecurringJobs;
import io.dbwire.core.detect.engine.BoundedLru;
import io.dbwire.core.detect.engine.DetectEvent;
import io.dbwire.core.detect.state.StateTree;
import io.dbwire.core.detect.baseline.RobustStats;
import io.dbwire.core.detect.baseline.Spike;
import io.dbwire.core.record.Endpoint;
import io.dbwire.core.record.TransactionRecord;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code data_staging}: rows or bytes leaving a server for one client in one minute, far above that client's own
 * baseline, e.g. an instance that never pulled much suddenly reading whole tables (COPY … TO STDOUT and
 * server-side exports count too: see {@link Metric#ROWS_OUT}). MITRE T1074 Data Staged.
 *
 * <p>Peers are the other established clients of the same server: the volume is also compared with the highest
 * peak any of them has shown. Above its own baseline but within what peers do: MEDIUM; above both: HIGH. A client
 * too young to have a baseline is scored against its peers only: within them it is a new instance of a known
 * application (quiet), above them it is CRITICAL. A pair that raised {@code data_staging} itself is no peer until that
 * minute recurs as its routine job: its peak is what was unusual, and would hide the next new client doing the
 * same (a dump after another new client's whole-table read).
 *
 * <p>Routine: a heavy minute that repeats a run of the client's recurring job ({@link RecurringJobs}: same time of
 * day, user, application and statements, similar volume) is not scored at all. A heavy minute at the time of a
 * known job that is not far above the baseline (the time-of-day profile knows the job's volume) but comes from
 * another user or application, or reads statements the job never read, is MEDIUM ({@code job_changed}).
 */
public final class DataStagingDetector extends ClientBucketDetector {
    static final String NAME = "data_staging";
    static final String MITRE = "T1074";
    /** Rows: at least 50 000 in the minute, 10 robust sigmas, 10× the median and the peak. */
    static final Spike ROWS = new Spike(50_000, 10, 10, MIN_HISTORY);
    /** Bytes: at least 32 MiB in the minute, 10 robust sigmas, 10× the median and the peak. */
    static final Spike BYTES = new Spike(32L << 20, 10, 10, MIN_HISTORY);
    /** A statement that moved at least this many rows (or 1 MiB) is evidence. */
    static final long EVIDENCE_ROWS = 1_000;
    static final long EVIDENCE_BYTES = 1L << 20;
    /** Multiple of the peers' highest peak that makes the volume unusual for the whole server too. */
    static final double PEER_RATIO = 3;
    /** A client without its own baseline alerts only at this multiple of the peers' highest peak. */
    static final double NEW_CLIENT_PEER_RATIO = 10;

    /** A minute is remembered as a job run from this share of the floor on (smaller minutes never alert). */
    static final double RUN_SHARE_OF_FLOOR = 0.1;

    /** Per server: highest peak of established clients, per metric (rows, bytes). */
    private final Map<Endpoint, double[]> peerPeaks = new HashMap<>();
    /** Per server: fingerprints of the recurring jobs its established clients run. */
    private final Map<Endpoint, java.util.Set<String>> peerJobStatements = new HashMap<>();
    /** Pairs that raised data_staging (value: the alert's bucket end): not peers, see the class comment. */
    private final BoundedLru<EntityKey.ClientServer, Long> alerted;
    /** Per (client, server) with heavy statements: its recurring job runs. */
    private final BoundedLru<EntityKey.ClientServer, RecurringJobs> jobs;

    public DataStagingDetector(DetectContext ctx) {
        super(ctx, java.util.EnumSet.of(Metric.ROWS_OUT, Metric.BYTES_OUT));
        this.jobs = new BoundedLru<>(ctx.config().maxEntities(),
                (k, v) -> ctx.counters().increment(DetectEvent.ENTITIES_EVICTED));
        this.alerted = new BoundedLru<>(ctx.config().maxEntities(),
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
        return Metric.ROWS_OUT;
    }

    @Override
    protected void note(TransactionRecord r, EntityBaseline b) {
        if (r.response() != null && (Metric.rowsOut(r) >= EVIDENCE_ROWS || r.response().bytes() >= EVIDENCE_BYTES)) {
            b.noteEvidence(Evidence.statement(r.statement()) + " (rows=" + Metric.rowsOut(r) + ", bytes="
                    + r.response().bytes() + ")", r);
            jobs.computeIfAbsent(InternedKeys.clientServer(r.client().ip(), r.server()), k -> new RecurringJobs())
                    .note(r.session().user(), r.session().application(),
                            r.statement() == null ? null : r.statement().fingerprint());
        }
    }

    /** Remembers each heavy minute as a job run, learning or not: whatever ran while learning is routine too. */
    @Override
    protected void beforeRolling(long start, long end, boolean learning) {
        table.forEach((k, b) -> {
            RecurringJobs j = jobs.get(k);
            if (j == null) {
                return;
            }
            long rows = b.current(Metric.ROWS_OUT);
            long bytes = b.current(Metric.BYTES_OUT);
            RecurringJobs.Run run = j.open(start, rows, bytes);
            if (run != null && (rows >= RUN_SHARE_OF_FLOOR * ROWS.floor() || bytes >= RUN_SHARE_OF_FLOOR * BYTES.floor())) {
                j.remember(run);
            }
            j.closeBucket();
        });
    }

    /** The end of the summary: how the minute differs from normal. */
    private static String why(String rule, RecurringJobs.Match job, double ratio, boolean established) {
        if ("job_changed".equals(rule)) {
            return job.verdict() == RecurringJobs.Verdict.OTHER_IDENTITY
                    ? "at the time of its recurring job but as another user or application (the job runs as "
                            + job.earlier().user() + ", " + job.earlier().application() + ")"
                    : "at the time of its recurring job but reading statements the job never read";
        }
        if ("job_from_new_client".equals(rule)) {
            return "the statements of another client's recurring job";
        }
        return Math.round(ratio) + "x " + (established ? "its usual" : "its peers' peak");
    }

    private boolean runsPeerJob(Endpoint server, RecurringJobs.Run run) {
        java.util.Set<String> known = peerJobStatements.get(server);
        if (known == null) {
            return false;
        }
        for (String f : run.fingerprints()) {
            if (known.contains(f)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Object snapshot() {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("pairs", super.snapshot());
        java.util.List<Object> js = new java.util.ArrayList<>();
        for (Map.Entry<EntityKey.ClientServer, RecurringJobs> e : jobs.entries()) {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("key", io.dbwire.core.detect.baseline.EntityKeys.toTree(e.getKey()));
            m.put("runs", e.getValue().snapshot());
            js.add(m);
        }
        out.put("jobs", js);
        java.util.List<Object> as = new java.util.ArrayList<>();
        for (Map.Entry<EntityKey.ClientServer, Long> e : alerted.entries()) {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("key", io.dbwire.core.detect.baseline.EntityKeys.toTree(e.getKey()));
            m.put("at", e.getValue());
            as.add(m);
        }
        out.put("alerted", as);
        return out;
    }

    /** Takes this version's form, or the earlier one (the pairs' list alone, no job runs). */
    @Override
    public void restore(Object tree) {
        if (tree instanceof java.util.List) {
            super.restore(tree);
            return;
        }
        Map<String, Object> m = StateTree.map(tree, NAME);
        super.restore(m.get("pairs"));
        for (Object o : StateTree.list(m.get("jobs"), "jobs")) {
            Map<String, Object> e = StateTree.map(o, "job");
            RecurringJobs j = new RecurringJobs();
            j.restore(e.get("runs"));
            jobs.put((EntityKey.ClientServer) io.dbwire.core.detect.baseline.EntityKeys.fromTree(e.get("key")), j);
        }
        if (m.containsKey("alerted")) { // absent in snapshots of earlier versions
            for (Object o : StateTree.list(m.get("alerted"), "alerted")) {
                Map<String, Object> e = StateTree.map(o, "alerted");
                alerted.put((EntityKey.ClientServer) io.dbwire.core.detect.baseline.EntityKeys.fromTree(e.get("key")),
                        StateTree.asLong(e.get("at"), "alerted.at"));
            }
        }
    }

    @Override
    protected void beforeScoring(long start, long end, DetectContext ctx) {
        peerJobStatements.clear();
        table.forEach((k, b) -> {
            RecurringJobs j = b.history(Metric.ROWS_OUT).size() >= MIN_HISTORY ? jobs.get(k) : null;
            if (j != null) {
                for (RecurringJobs.Run r : j.runs()) {
                    peerJobStatements.computeIfAbsent(k.server(), s -> new java.util.HashSet<>())
                            .addAll(r.fingerprints());
                }
            }
        });
        peerPeaks.clear();
        table.forEach((k, b) -> {
            if (b.history(Metric.ROWS_OUT).size() >= MIN_HISTORY && alerted.get(k) == null) {
                double[] p = peerPeaks.computeIfAbsent(k.server(), s -> new double[2]);
                p[0] = Math.max(p[0], Spike.reference(b, Metric.ROWS_OUT, start));
                p[1] = Math.max(p[1], Spike.reference(b, Metric.BYTES_OUT, start));
            }
        });
    }

    @Override
    protected void score(EntityKey.ClientServer key, EntityBaseline b, long start, long end, DetectContext ctx) {
        long rows = b.current(Metric.ROWS_OUT);
        long bytes = b.current(Metric.BYTES_OUT);
        if (rows < ROWS.floor() && bytes < BYTES.floor()) {
            return; // the common case, before any median is computed
        }
        double[] peers = peerPeaks.getOrDefault(key.server(), new double[] {1, 1});
        double peerRatio = Math.max(rows / Math.max(1, peers[0]), bytes / Math.max(1, peers[1]));
        boolean established = b.history(Metric.ROWS_OUT).size() >= MIN_HISTORY;
        RecurringJobs j = jobs.get(key);
        RecurringJobs.Run run = j == null ? null : j.open(start, rows, bytes);
        RecurringJobs.Match job = run == null ? new RecurringJobs.Match(RecurringJobs.Verdict.NO_EARLIER_RUN, null)
                : j.match(run);
        double ratio;
        Severity severity;
        String rule = "volume_spike";
        if (established) {
            if (job.verdict() == RecurringJobs.Verdict.ROUTINE) {
                ctx.counters().increment(DetectEvent.ROUTINE_JOB_RECOGNISED);
                alerted.remove(key); // what alerted has become its recurring job: a peer again
                return;
            }
            ratio = Math.max(ROWS.ratio(b, Metric.ROWS_OUT, start), BYTES.ratio(b, Metric.BYTES_OUT, start));
            if (ratio > 0) {
                severity = peerRatio >= PEER_RATIO ? Severity.HIGH : Severity.MEDIUM;
            } else if (job.verdict() == RecurringJobs.Verdict.OTHER_IDENTITY
                    || job.verdict() == RecurringJobs.Verdict.OTHER_STATEMENTS) {
                // as much as the job moves at this hour, but not the job: its profile must not cover for it
                ratio = Math.max(rows / Math.max(1.0, job.earlier().rows()), bytes / Math.max(1.0, job.earlier().bytes()));
                severity = Severity.MEDIUM;
                rule = "job_changed";
            } else {
                return;
            }
        } else {
            // no own baseline yet: only what is far above every established peer counts
            double rowsVsPeers = rows >= ROWS.floor() ? rows / Math.max(1, peers[0]) : 0;
            double bytesVsPeers = bytes >= BYTES.floor() ? bytes / Math.max(1, peers[1]) : 0;
            ratio = Math.max(rowsVsPeers, bytesVsPeers);
            if (ratio >= NEW_CLIENT_PEER_RATIO) {
                severity = Severity.CRITICAL;
                rule = "new_client_above_peers";
            } else if (run != null && (rows >= ROWS.floor() || bytes >= BYTES.floor())
                    && runsPeerJob(key.server(), run)) {
                // a known client's recurring export, run from somewhere it never ran: not an autoscaled instance
                severity = Severity.MEDIUM;
                rule = "job_from_new_client";
            } else {
                return;
            }
        }
        RobustStats h = b.history(Metric.ROWS_OUT);
        AlertDraft d = judged(pairDraft(ctx, key, b, start, end), key, start, severity,
                severity == Severity.CRITICAL ? 100
                        : Math.max(50, ROWS.score(ratio)) + (severity == Severity.HIGH ? 5 : 0),
                rows + " rows (" + bytes + " bytes) sent to " + (established ? "" : "new client ")
                        + key.clientIp() + " by " + EntityKey.endpoint(key.server()) + " in one minute, "
                        + why(rule, job, ratio, established))
                .observed("rows", rows)
                .observed("bytes", bytes)
                .observed("ratio", Spike.round1(ratio))
                .observed("peer_ratio", Spike.round1(peerRatio))
                .observed("new_client", !established)
                .baseline("rows_median", Spike.round1(h.median()))
                .baseline("rows_peak", Spike.round1(b.peak(Metric.ROWS_OUT)))
                .baseline("bytes_median", Spike.round1(b.history(Metric.BYTES_OUT).median()))
                .baseline("bytes_peak", Spike.round1(b.peak(Metric.BYTES_OUT)))
                .baseline("rows_reference", Spike.round1(Spike.reference(b, Metric.ROWS_OUT, start)))
                .baseline("peer_rows_peak", Spike.round1(peers[0]))
                .baseline("peer_bytes_peak", Spike.round1(peers[1]))
                .baseline("buckets", h.size())
                .observed("recurring_job", job.verdict().name().toLowerCase(java.util.Locale.ROOT))
                .baseline("job_runs", j == null ? 0 : j.size())
                .baseline("job_last_run", job.earlier() == null ? null
                        : io.dbwire.core.util.Timestamps.formatMicros(job.earlier().startMicros()))
                .baseline("job_user", job.earlier() == null ? null : job.earlier().user())
                .baseline("job_rows", job.earlier() == null ? null : job.earlier().rows())
                .rule(rule);
        ctx.raise(d, end);
        alerted.put(key, end);
    }
}
