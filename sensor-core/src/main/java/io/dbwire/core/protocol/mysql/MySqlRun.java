package io.dbwire.core.protocol.mysql;

import io.dbwire.core.record.StatementInfo;

/**
 * Working state of one statement (or login) between its request and its completion: wire bytes and packet
 * times of both sides, counted rows. Never serialised; {@link MySqlRecords} turns it into a record once.
 */
final class MySqlRun {
    StatementInfo statement;
    boolean hasRequest;
    long requestFirstTs;
    long requestLastTs;
    long requestBytes;
    boolean hasResponse;
    long responseFirstTs;
    long responseLastTs;
    long responseBytes;
    /** A result set (column count) was seen: rows is a number, possibly 0. */
    boolean resultSet;
    long rows;
    /** From the OK packet(s); null when none came. */
    Long affected;
    boolean done;

    MySqlRun(StatementInfo statement) {
        this.statement = statement;
    }

    void request(MySqlPacket p) {
        requestTimes(p.firstTs, p.lastTs);
        requestBytes += p.wireBytes;
    }

    void requestTimes(long first, long last) {
        if (!hasRequest) {
            hasRequest = true;
            requestFirstTs = first;
        }
        requestLastTs = last;
    }

    void response(MySqlPacket p) {
        if (!hasResponse) {
            hasResponse = true;
            responseFirstTs = p.firstTs;
        }
        responseLastTs = p.lastTs;
        responseBytes += p.wireBytes;
    }

    void addAffected(long n) {
        affected = affected == null ? n : affected + n;
    }
}
