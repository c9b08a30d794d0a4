package io.dbwire.core.detect;

import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.TransactionRecord;

/** Per-bucket figures a baseline keeps for an entity. */
public enum Metric {
    /** STATEMENT records. */
    STATEMENTS,
    /** Rows returned (DataRow count) plus rows affected. */
    ROWS,
    /** Request plus response wire bytes of statements. */
    BYTES,
    /** STATEMENT records with status ERROR. */
    ERRORS,
    /** LOGIN records that failed authentication. */
    FAILED_LOGINS;

    static final Metric[] ALL = values();

    /** Adds what one record contributes to each metric into {@code into}, indexed by ordinal. */
    static void accumulate(TransactionRecord r, long[] into) {
        if (r.kind() == RecordKind.STATEMENT) {
            into[STATEMENTS.ordinal()]++;
            if (r.response() != null) {
                into[ROWS.ordinal()] += nonNull(r.response().rows()) + nonNull(r.response().rowsAffected());
                into[BYTES.ordinal()] += r.response().bytes();
            }
            if (r.request() != null) {
                into[BYTES.ordinal()] += r.request().bytes();
            }
            if (r.status() == RecordStatus.ERROR) {
                into[ERRORS.ordinal()]++;
            }
        } else if (r.kind() == RecordKind.LOGIN && AuthFailures.isFailedLogin(r)) {
            into[FAILED_LOGINS.ordinal()]++;
        }
    }

    private static long nonNull(Long v) {
        return v == null ? 0 : v;
    }
}
