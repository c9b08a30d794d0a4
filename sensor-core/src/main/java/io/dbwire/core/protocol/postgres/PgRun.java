package io.dbwire.core.protocol.postgres;

import io.dbwire.core.protocol.session.RequestRun;
import io.dbwire.core.record.StatementInfo;

/** A PostgreSQL request in flight: what its response counts besides bytes and times (docs/records.md, rows). */
final class PgRun extends RequestRun {
    long dataRows;
    boolean rowDescription;
    boolean copyOut;
    long copyOutRows;

    PgRun(StatementInfo statement) {
        super(statement);
    }
}
