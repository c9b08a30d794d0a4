package io.dbwire.core.protocol.mysql;

import io.dbwire.core.protocol.session.RequestRun;
import io.dbwire.core.record.StatementInfo;
import io.dbwire.core.util.SmallLongs;

/** A MySQL command in flight: what its response counts besides bytes and times (docs/records.md, rows). */
final class MySqlRun extends RequestRun {
    /** A result set (column count) was seen: rows is a number, possibly 0. */
    boolean resultSet;
    long rows;
    /** From the OK packet(s); null when none came. */
    Long affected;

    MySqlRun(StatementInfo statement) {
        super(statement);
    }

    @Override
    protected void reset(StatementInfo statement) {
        super.reset(statement);
        resultSet = false;
        rows = 0;
        affected = null;
    }

    void addAffected(long n) {
        affected = SmallLongs.valueOf(affected == null ? n : affected + n);
    }
}
