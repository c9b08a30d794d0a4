package io.dbwire.core.detect.engine;

import static io.dbwire.core.util.CountedEvent.Kind.VOLUME;

import io.dbwire.core.util.CountedEvent;

/**
 * What the detection layer counts; exposed by {@link DetectionEngine#counters()}. Records are emitted when their
 * response completes, so across connections they reach detection a little out of packet-time order: "late" is
 * normal volume, not a problem.
 */
public enum DetectEvent implements CountedEvent {
    /** Records handed to the engine before {@link DetectionEngine#finish()}. */
    RECORDS_SEEN(VOLUME),
    /** Records whose time was behind packet time (another shard, a late flush); treated as "now". */
    RECORDS_LATE(VOLUME),
    /** Records handed in after {@link DetectionEngine#finish()}; ignored. */
    RECORDS_AFTER_FINISH,
    /** Fixed time buckets closed by packet time. */
    BUCKETS_CLOSED(VOLUME),
    /** Empty buckets not replayed one by one after a long jump in packet time (baselines saturate anyway). */
    BUCKETS_SKIPPED(VOLUME),
    /** Per-entity state dropped because a table reached {@code maxEntities} (least recently seen first). */
    ENTITIES_EVICTED,
    /** Alerts handed to the sink. */
    ALERTS_EMITTED(VOLUME),
    /** Candidate alerts folded into an earlier one by suppression. */
    ALERTS_SUPPRESSED(VOLUME),
    /** Candidates of higher severity that broke through an active suppression. */
    ALERTS_ESCALATED(VOLUME),
    /** Alerts emitted when a suppression ended with folded repeats (or at finish). */
    FOLDED_REPORTED(VOLUME),
    /** Suppression entries dropped at the {@code maxEntities} bound (their folded repeats are lost). */
    SUPPRESSION_EVICTED,
    /** First contacts of a client with a server while that server was still learning. */
    NEW_CLIENT_LEARNED(VOLUME),
    /** Failed logins seen (kind LOGIN, status ERROR, authentication error code). */
    FAILED_LOGINS_SEEN(VOLUME),
    /** Heavy minutes of a client recognised as a run of its recurring job (same time of day, user, statements). */
    ROUTINE_JOB_RECOGNISED(VOLUME),
    /**
     * Volume or rate verdicts capped at low because the server was never watched at that hour of the day before
     * (an immature time-of-day baseline: the first daily cycle, or an hour the sensor was down on every day).
     */
    SEVERITY_CAPPED_IMMATURE(VOLUME),
    /** Oldest failed logins of one client/server pair dropped at the per-pair bound. */
    BRUTEFORCE_FAILURES_DROPPED,
    /** Records dropped by a policy ignore rule before any detector saw them (known noise). */
    POLICY_IGNORED(VOLUME),
    /** Fingerprints added to the statement allow-list in learn mode. */
    ALLOWLIST_LEARNED(VOLUME),
    /** Allow-list keys or fingerprints not learnt because a bound was reached. */
    ALLOWLIST_FULL;

    private final Kind kind;

    DetectEvent() {
        this(Kind.PROBLEM);
    }

    DetectEvent(Kind kind) {
        this.kind = kind;
    }

    @Override
    public Kind kind() {
        return kind;
    }

    @Override
    public String layer() {
        return "detect";
    }
}
