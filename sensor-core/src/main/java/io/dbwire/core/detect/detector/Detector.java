package io.dbwire.core.detect.detector;

import io.dbwire.core.record.TransactionRecord;

/**
 * One detection: observes records, reduces them to per-entity state, and raises candidate alerts through
 * {@link DetectContext#raise} (which applies suppression). All times are packet time in microseconds; a detector
 * never reads the wall clock, so a replay raises the same alerts as the live run.
 *
 * <p>Call order for every step of packet time: {@link #onBucketClose} for each bucket that ended, then
 * {@link #onAdvance}, then {@link #observe} for the record (if any). Single-threaded.
 */
public interface Detector {

    /** The {@code detection} field of its alerts, e.g. {@code auth_bruteforce}. */
    String name();

    /** Main MITRE ATT&CK technique id of its alerts (an alert may name a sub-technique). */
    String mitre();

    /** @param nowMicros packet time of the record, never behind the previous call's */
    void observe(TransactionRecord r, long nowMicros, DetectContext ctx);

    /** Packet time moved on to {@code nowMicros}. */
    default void onAdvance(long nowMicros, DetectContext ctx) {}

    /** The fixed bucket {@code [startMicros, endMicros)} is over; compare it against baselines here. */
    default void onBucketClose(long startMicros, long endMicros, DetectContext ctx) {}

    /** End of input, after the last bucket closed. */
    default void finish(long nowMicros, DetectContext ctx) {}

    /**
     * What this detector learned, as a tree of maps, lists, strings, numbers and booleans (see
     * {@link io.dbwire.core.detect.state.DetectionSnapshot}); null when it keeps nothing worth a restart.
     */
    default Object snapshot() {
        return null;
    }

    /**
     * Loads what {@link #snapshot()} gave, into a fresh detector before any record.
     *
     * @throws io.dbwire.core.detect.state.StateTree.BadSnapshot when the tree has the wrong shape
     */
    default void restore(Object tree) {}
}
