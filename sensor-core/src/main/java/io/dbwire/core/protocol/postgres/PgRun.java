package io.dbwire.core.protocol.postgres;

import io.dbwire.core.protocol.session.RequestRun;
import io.dbwire.core.record.StatementInfo;

/** A PostgreSQL request in flight: what its response counts besides bytes and times (docs/records.md, rows). */
final class PgRun extends RequestRun {
    long dataRows;
    boolean rowDescription;
    boolean copyOut;
    long copyOutRows;
    /** COPY OUT in text format: one CopyData per line (PgTagSalvage). */
    boolean copyOutText;
    /** The server asked for COPY FROM STDIN data (CopyInResponse). */
    boolean copyIn;
    /** A hole took part of the answer, the server's tag gives the rows (PgTagSalvage). */
    boolean rowsFromTag;

    PgRun(StatementInfo statement) {
        super(statement);
    }

    /** Every field as the constructor leaves it (PgEntryReuseTest sets each by reflection and checks). */
    @Override
    protected void reset(StatementInfo statement) {
        super.reset(statement);
        dataRows = 0;
        rowDescription = false;
        copyOut = false;
        copyOutRows = 0;
        copyOutText = false;
        copyIn = false;
        rowsFromTag = false;
    }
}
