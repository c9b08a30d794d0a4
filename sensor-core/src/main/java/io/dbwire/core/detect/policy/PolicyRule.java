package io.dbwire.core.detect.policy;

import io.dbwire.core.detect.detector.DetectContext;
import io.dbwire.core.record.TransactionRecord;

/** One rule of the policy file, compiled: observes every record the ignore rules let through. */
interface PolicyRule {
    /** The operator's name for the rule ({@code observed.rule}). */
    String name();

    void observe(TransactionRecord r, long nowMicros, DetectContext ctx);

    /** What the rule learned (a snapshot tree), or null. */
    default Object snapshot() {
        return null;
    }

    default void restore(Object tree) {}
}
