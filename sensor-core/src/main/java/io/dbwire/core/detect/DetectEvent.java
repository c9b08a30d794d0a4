package io.dbwire.core.detect;

/** What the detection layer counts; exposed by {@link DetectionEngine#counters()}. */
public enum DetectEvent {
    /** Records handed to the engine before {@link DetectionEngine#finish()}. */
    RECORDS_SEEN,
    /** Records whose time was behind packet time (another shard, a late flush); treated as "now". */
    RECORDS_LATE,
    /** Records handed in after {@link DetectionEngine#finish()}; ignored. */
    RECORDS_AFTER_FINISH,
    /** Fixed time buckets closed by packet time. */
    BUCKETS_CLOSED,
    /** Empty buckets not replayed one by one after a long jump in packet time (baselines saturate anyway). */
    BUCKETS_SKIPPED,
    /** Per-entity state dropped because a table reached {@code maxEntities} (least recently seen first). */
    ENTITIES_EVICTED,
    /** Alerts handed to the sink. */
    ALERTS_EMITTED,
    /** Candidate alerts folded into an earlier one by suppression. */
    ALERTS_SUPPRESSED,
    /** Candidates of higher severity that broke through an active suppression. */
    ALERTS_ESCALATED,
    /** Alerts emitted when a suppression ended with folded repeats (or at finish). */
    FOLDED_REPORTED,
    /** Suppression entries dropped at the {@code maxEntities} bound (their folded repeats are lost). */
    SUPPRESSION_EVICTED,
    /** First contacts of a client with a server while that server was still learning. */
    NEW_CLIENT_LEARNED,
    /** Failed logins seen (kind LOGIN, status ERROR, authentication error code). */
    FAILED_LOGINS_SEEN,
    /** Oldest failed logins of one client/server pair dropped at the per-pair bound. */
    BRUTEFORCE_FAILURES_DROPPED
}
