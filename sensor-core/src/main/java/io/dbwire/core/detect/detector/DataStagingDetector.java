package io.dbwire.core.detect.detector;

import io.dbwire.core.detect.alert.AlertDraft;
import io.dbwire.core.detect.alert.EntityKey;
import io.dbwire.core.detect.alert.Evidence;
import io.dbwire.core.detect.alert.Severity;
import io.dbwire.core.detect.baseline.EntityBaseline;
import io.dbwire.core.detect.baseline.Metric;
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
 * application (quiet), above them it is CRITICAL.
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

    /** Per server: highest peak of established clients, per metric (rows, bytes). */
    private final Map<Endpoint, double[]> peerPeaks = new HashMap<>();

    public DataStagingDetector(DetectContext ctx) {
        super(ctx, java.util.EnumSet.of(Metric.ROWS_OUT, Metric.BYTES_OUT));
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
    protected void note(TransactionRecord r, EntityBaseline b) {
        if (r.response() != null && (Metric.rowsOut(r) >= EVIDENCE_ROWS || r.response().bytes() >= EVIDENCE_BYTES)) {
            b.noteEvidence(Evidence.statement(r.statement()) + " (rows=" + Metric.rowsOut(r) + ", bytes="
                    + r.response().bytes() + ")");
        }
    }

    @Override
    protected void beforeScoring(long start, long end, DetectContext ctx) {
        peerPeaks.clear();
        table.forEach((k, b) -> {
            if (b.history(Metric.ROWS_OUT).size() >= MIN_HISTORY) {
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
        double ratio;
        Severity severity;
        if (established) {
            ratio = Math.max(ROWS.ratio(b, Metric.ROWS_OUT, start), BYTES.ratio(b, Metric.BYTES_OUT, start));
            if (ratio == 0) {
                return;
            }
            severity = peerRatio >= PEER_RATIO ? Severity.HIGH : Severity.MEDIUM;
        } else {
            // no own baseline yet: only what is far above every established peer counts
            double rowsVsPeers = rows >= ROWS.floor() ? rows / Math.max(1, peers[0]) : 0;
            double bytesVsPeers = bytes >= BYTES.floor() ? bytes / Math.max(1, peers[1]) : 0;
            ratio = Math.max(rowsVsPeers, bytesVsPeers);
            if (ratio < NEW_CLIENT_PEER_RATIO) {
                return;
            }
            severity = Severity.CRITICAL;
        }
        RobustStats h = b.history(Metric.ROWS_OUT);
        AlertDraft d = pairDraft(ctx, key, b, start, end)
                .severity(severity)
                .score(severity == Severity.CRITICAL ? 100 : ROWS.score(ratio) + (severity == Severity.HIGH ? 5 : 0))
                .summary(rows + " rows (" + bytes + " bytes) sent to " + (established ? "" : "new client ")
                        + key.clientIp() + " by " + EntityKey.endpoint(key.server()) + " in one minute, "
                        + Math.round(ratio) + "x " + (established ? "its usual" : "its peers' peak"))
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
                .baseline("buckets", h.size());
        ctx.raise(d, end);
    }
}
