package io.dbwire.core.detect.baseline;

import io.dbwire.core.record.TransactionRecord;
import java.util.Arrays;

/**
 * What one record adds to each {@link Metric}, worked out once for all the baselines it feeds: three detections
 * keep a baseline per (client, server), and each used to classify every record again (the export check among
 * it). Remembers the last record only; records are immutable, so the same record always gives the same figures.
 * One per detection engine, on its thread.
 */
public final class RecordFigures {
    private final long[] figures = new long[Metric.ALL.length];
    private TransactionRecord of;

    /** The record's figures, indexed by ordinal; read only, valid until the next call. */
    long[] of(TransactionRecord r) {
        if (r != of) {
            Arrays.fill(figures, 0);
            Metric.accumulate(r, figures);
            of = r;
        }
        return figures;
    }
}
