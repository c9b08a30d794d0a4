package io.dbwire.core.detect.alert;

import java.util.List;

/**
 * How an alert explains itself beyond {@code observed} and {@code baseline} (docs/alerts.md): which rule of its
 * detection fired, how long the entity's baseline had been learnt and from how many samples, and the records the
 * evidence came from.
 *
 * @param rule            the detection's rule that fired, e.g. {@code volume_spike}, {@code sliding_window}; null
 *                        when the detection has only one
 * @param learntForMicros packet time the compared baseline had been learning (from the entity's first record, or the
 *                        learning period for "new" detections); -1 when not applicable
 * @param samples         values in that baseline (one-minute buckets, or records); -1 when not applicable
 * @param records         evidence records, oldest first, bounded like the evidence
 */
public record Explanation(String rule, long learntForMicros, long samples, List<EvidenceRecord> records) {
    public static final Explanation NONE = new Explanation(null, -1, -1, List.of());

    public Explanation {
        records = records == null ? List.of() : List.copyOf(records);
    }

    /**
     * One record behind the alert.
     *
     * @param fingerprint the statement fingerprint, or null for logins and other kinds
     * @param kind        the record kind as in the record JSON ({@code statement}, {@code login}, …)
     */
    public record EvidenceRecord(long tsMicros, long connectionId, String kind, String fingerprint) {}
}
