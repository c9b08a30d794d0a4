package io.dbwire.core.protocol.postgres;

import io.dbwire.core.record.StatementInfo;

/**
 * Working state of one statement (or login) between its request and its completion: wire bytes and packet
 * times of both sides, counted rows. Never serialised; {@link PgRecords} turns it into a record once.
 */
final class StatementRun {
    StatementInfo statement;
    boolean hasRequest;
    long requestFirstTs;
    long requestLastTs;
    long requestBytes;
    boolean hasResponse;
    long responseFirstTs;
    long responseLastTs;
    long responseBytes;
    long dataRows;
    boolean rowDescription;
    boolean copyOut;
    long copyOutRows;
    /** Set once the record was emitted (or the run discarded): guards against double emission. */
    boolean done;

    StatementRun(StatementInfo statement) {
        this.statement = statement;
    }

    void request(PgFrame f) {
        requestTimes(f.firstTs, f.lastTs);
        requestBytes += f.wireBytes;
    }

    void requestTimes(long first, long last) {
        if (!hasRequest) {
            hasRequest = true;
            requestFirstTs = first;
        }
        requestLastTs = last;
    }

    void response(PgFrame f) {
        if (!hasResponse) {
            hasResponse = true;
            responseFirstTs = f.firstTs;
        }
        responseLastTs = f.lastTs;
        responseBytes += f.wireBytes;
    }
}
