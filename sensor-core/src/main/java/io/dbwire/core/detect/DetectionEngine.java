package io.dbwire.core.detect;

import io.dbwire.core.detect.alert.AlertSink;
import io.dbwire.core.detect.alert.AlertSuppressor;
import io.dbwire.core.detect.detector.AuthBruteforceDetector;
import io.dbwire.core.detect.detector.BaselineTable;
import io.dbwire.core.detect.detector.DataStagingDetector;
import io.dbwire.core.detect.detector.DetectContext;
import io.dbwire.core.detect.detector.Detector;
import io.dbwire.core.detect.detector.ErrorBurstDetector;
import io.dbwire.core.detect.detector.LatencyRegressionDetector;
import io.dbwire.core.detect.detector.NewClientDetector;
import io.dbwire.core.detect.detector.NewStatementDetector;
import io.dbwire.core.detect.detector.NewUserDetector;
import io.dbwire.core.detect.detector.RateSpikeDetector;
import io.dbwire.core.detect.detector.RiskyStatementDetector;
import io.dbwire.core.detect.detector.SensitiveDataReadDetector;
import io.dbwire.core.detect.detector.TlsDowngradeDetector;
import io.dbwire.core.detect.engine.DetectEvent;
import io.dbwire.core.detect.engine.WindowClock;
import io.dbwire.core.detect.policy.PolicyEngine;
import io.dbwire.core.config.DetectionConfig;
import io.dbwire.core.detect.state.DetectionSnapshot;
import io.dbwire.core.detect.state.StateTree;
import io.dbwire.core.memory.MemoryBudget;
import io.dbwire.core.record.RecordSink;
import io.dbwire.core.record.TransactionRecord;
import io.dbwire.core.util.ReasonCounters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Detection on packet time: records in, alerts out (docs/alerts.md). Packet time is the largest record time seen
 * or the time given to {@link #advanceTo}; it never reads the wall clock, so replaying a capture raises the
 * same alerts, with the same ids, as the live run did. Single-threaded: one thread owns an engine.
 */
public final class DetectionEngine implements RecordSink {
    /** Length of the fixed buckets baselines are kept in: one minute. */
    public static final long BUCKET_MICROS = 60_000_000L;
    /** Buckets replayed one by one after a jump in packet time; a baseline holds no more than this anyway. */
    static final int MAX_CATCH_UP = BaselineTable.DEFAULT_BUCKETS + 1;

    private final ReasonCounters<DetectEvent> counters = new ReasonCounters<>(DetectEvent.class);
    private final WindowClock clock;
    private final AlertSuppressor suppressor;
    private final DetectContext ctx;
    private final Function<DetectContext, List<Detector>> detectorFactory;
    /** The DAM policy: ignore rules applied before the detectors, its rules and allow-list among them. */
    private final PolicyEngine policy;
    private List<Detector> detectors;
    /** {@link #detectors} as arrays for the per-record loops; only the ones that act on it get {@code onAdvance}. */
    private Detector[] observing;
    private Detector[] advancing;
    private final WindowClock.BucketListener onBucketClose = this::closeBucket;
    private long nowMicros = Long.MIN_VALUE;
    private boolean finished;

    public DetectionEngine(DetectionConfig config, AlertSink sink) {
        this(config, sink, MemoryBudget.unlimited());
    }

    /** Per-entity tables draw from {@code memory} (owned by the detection thread). */
    public DetectionEngine(DetectionConfig config, AlertSink sink, MemoryBudget memory) {
        this(config, sink, BUCKET_MICROS, DetectionEngine::standardDetectors, memory);
    }

    /** For tests and later wiring: a chosen bucket length and set of detectors. */
    DetectionEngine(DetectionConfig config, AlertSink sink, long bucketMicros,
            Function<DetectContext, List<Detector>> detectorFactory) {
        this(config, sink, bucketMicros, detectorFactory, MemoryBudget.unlimited());
    }

    private DetectionEngine(DetectionConfig config, AlertSink sink, long bucketMicros,
            Function<DetectContext, List<Detector>> detectorFactory, MemoryBudget memory) {
        this.clock = new WindowClock(bucketMicros, MAX_CATCH_UP);
        this.suppressor = new AlertSuppressor(config.suppressionMicros(), config.maxEntities(), sink, counters);
        this.ctx = new DetectContext(config, counters, clock, suppressor, memory);
        this.policy = PolicyEngine.compile(config.policy());
        this.detectorFactory = c -> {
            List<Detector> all = new ArrayList<>(detectorFactory.apply(c));
            all.addAll(policy.detectors(c));
            return all;
        };
        use(List.copyOf(this.detectorFactory.apply(ctx)));
    }

    private void use(List<Detector> all) {
        detectors = all;
        observing = all.toArray(new Detector[0]);
        advancing = all.stream().filter(DetectionEngine::actsOnAdvance).toArray(Detector[]::new);
    }

    /**
     * Whether the detector's class has its own {@link Detector#onAdvance}: packet time moves on with nearly every
     * record, and calling the interface's empty default on each of a dozen detectors was a measurable share of
     * the engine's time per record.
     */
    static boolean actsOnAdvance(Detector d) {
        try {
            return d.getClass().getMethod("onAdvance", long.class, DetectContext.class).getDeclaringClass()
                    != Detector.class;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("Detector.onAdvance", e);
        }
    }

    /** The detectors switched on in the configuration. */
    static List<Detector> standardDetectors(DetectContext ctx) {
        List<Detector> out = new ArrayList<>();
        if (ctx.config().newClientEnabled()) {
            out.add(new NewClientDetector(ctx));
        }
        if (ctx.config().bruteforceEnabled()) {
            out.add(new AuthBruteforceDetector(ctx));
        }
        DetectionConfig c = ctx.config();
        if (c.dataStagingEnabled()) {
            out.add(new DataStagingDetector(ctx));
        }
        if (c.newUserEnabled()) {
            out.add(new NewUserDetector(ctx));
        }
        if (c.errorBurstEnabled()) {
            out.add(new ErrorBurstDetector(ctx));
        }
        if (c.riskyStatementEnabled()) {
            out.add(new RiskyStatementDetector(ctx));
        }
        if (c.newStatementEnabled()) {
            out.add(new NewStatementDetector(ctx));
        }
        if (c.latencyRegressionEnabled()) {
            out.add(new LatencyRegressionDetector(ctx));
        }
        if (c.rateSpikeEnabled()) {
            out.add(new RateSpikeDetector(ctx));
        }
        if (c.tlsDowngradeEnabled()) {
            out.add(new TlsDowngradeDetector(ctx));
        }
        // Acts only on records the opt-in sensitive-data scan marked (protocols' sensitive_data): silent when off.
        out.add(new SensitiveDataReadDetector(ctx));
        return out;
    }

    /** Observes one record; its time also advances packet time (a record behind it counts as "now"). */
    @Override
    public void accept(TransactionRecord r) {
        if (finished) {
            counters.increment(DetectEvent.RECORDS_AFTER_FINISH);
            return;
        }
        counters.increment(DetectEvent.RECORDS_SEEN);
        long t = r.tsMicros();
        if (t < nowMicros) {
            counters.increment(DetectEvent.RECORDS_LATE);
            t = nowMicros;
        } else {
            moveTo(t);
        }
        clock.markRecord(t);
        if (policy.ignores(r)) {
            counters.increment(DetectEvent.POLICY_IGNORED);
            return;
        }
        for (Detector d : observing) {
            d.observe(r, t, ctx);
        }
    }

    /** Packet time moved on without records (idle traffic): closes buckets and ends suppressions that are due. */
    public void advanceTo(long tsMicros) {
        if (!finished && tsMicros > nowMicros) {
            moveTo(tsMicros);
        }
    }

    /** End of input: closes the open bucket and emits folded repeats still pending. Later calls do nothing. */
    public void finish() {
        if (finished) {
            return;
        }
        finished = true;
        if (nowMicros == Long.MIN_VALUE) {
            return;
        }
        clock.closeOpen((start, end) -> {
            counters.increment(DetectEvent.BUCKETS_CLOSED);
            for (Detector d : detectors) {
                d.onBucketClose(start, end, ctx);
            }
        });
        for (Detector d : detectors) {
            d.finish(nowMicros, ctx);
        }
        suppressor.finish(nowMicros);
    }

    /**
     * What the detectors learned, to be written out and handed to {@link #restore} after a restart. Take it on the
     * engine's own thread (between records, or after {@link #finish()}).
     */
    public DetectionSnapshot snapshot() {
        Map<String, Object> trees = new LinkedHashMap<>();
        for (Detector d : detectors) {
            Object t = d.snapshot();
            if (t != null) {
                trees.put(d.name(), t);
            }
        }
        return new DetectionSnapshot(DetectionSnapshot.VERSION, nowMicros, clock.firstRecordMicros(), trees);
    }

    /**
     * Loads a snapshot into this engine before its first record. All or nothing: a snapshot of another version or
     * with a wrong shape leaves the engine as new and says why; it never throws.
     *
     * @return null when restored, else the reason it was not
     */
    public String restore(DetectionSnapshot snapshot) {
        if (snapshot == null) {
            return "no snapshot";
        }
        if (nowMicros != Long.MIN_VALUE) {
            return "engine already saw records";
        }
        if (snapshot.version() != DetectionSnapshot.VERSION) {
            return "version: " + snapshot.version() + " (expected: " + DetectionSnapshot.VERSION + ")";
        }
        List<Detector> fresh = List.copyOf(detectorFactory.apply(ctx));
        try {
            for (Detector d : fresh) {
                Object t = snapshot.detectors().get(d.name());
                if (t != null) {
                    d.restore(t);
                }
            }
        } catch (StateTree.BadSnapshot | ClassCastException | IllegalArgumentException e) {
            return e.getMessage();
        }
        use(fresh);
        if (snapshot.firstRecordMicros() != WindowClock.UNSET) {
            clock.markRecord(snapshot.firstRecordMicros());
        }
        return null;
    }

    public long alertsEmitted() {
        return suppressor.emitted();
    }

    public ReasonCounters<DetectEvent> counters() {
        return counters;
    }

    /** Packet time, or {@link Long#MIN_VALUE} before any. */
    public long nowMicros() {
        return nowMicros;
    }

    private void moveTo(long t) {
        nowMicros = t;
        long skipped = clock.advance(t, onBucketClose);
        counters.add(DetectEvent.BUCKETS_SKIPPED, skipped);
        suppressor.advance(t);
        for (Detector d : advancing) {
            d.onAdvance(t, ctx);
        }
    }

    /** Suppressions that ended by the bucket's end go first, so alerts come out in time order. */
    private void closeBucket(long startMicros, long endMicros) {
        counters.increment(DetectEvent.BUCKETS_CLOSED);
        suppressor.advance(endMicros);
        for (Detector d : detectors) {
            d.onBucketClose(startMicros, endMicros, ctx);
        }
    }
}
