package io.dbwire.core.protocol.session;

import io.dbwire.core.protocol.sensitive.SensitiveRows;
import io.dbwire.core.protocol.sensitive.SensitiveTally;
import io.dbwire.core.record.SensitiveCounts;
import io.dbwire.core.record.StatementInfo;

/**
 * Working state of one request (a statement or a login) between its first byte and its completion: wire bytes
 * and packet times of both sides. Never serialised; {@link RecordEmitter} turns it into a record once. A
 * protocol extends it with what it counts in a response (rows, affected rows).
 */
public class RequestRun implements SensitiveRows.Target {
    private StatementInfo statement;
    boolean hasRequest;
    long requestFirstTs;
    long requestLastTs;
    long requestBytes;
    boolean hasResponse;
    long responseFirstTs;
    long responseLastTs;
    long responseBytes;
    /** A hole took the answer's first bytes: its first packet time, hence server_us, is unknown. */
    boolean responseStartLost;
    /** The mirror lost the request: only its answer was seen (its time and bytes are unknown). */
    boolean requestLost;
    /** What the opt-in sensitive-data scan found in this request's rows; null until something was counted. */
    private SensitiveTally sensitive;
    /** Set once the record was emitted (or the run discarded): guards against double emission. */
    private boolean done;

    public RequestRun(StatementInfo statement) {
        this.statement = statement;
    }

    /**
     * Makes this run a fresh one for the next request of its connection: every field as the constructor leaves it
     * (a protocol may keep its last finished run as a spare instead of allocating one per request). A field added
     * here must be reset here too: MySqlExchangeReuseTest sets every field and checks.
     */
    protected void reset(StatementInfo statement) {
        this.statement = statement;
        hasRequest = false;
        requestFirstTs = 0;
        requestLastTs = 0;
        requestBytes = 0;
        hasResponse = false;
        responseFirstTs = 0;
        responseLastTs = 0;
        responseBytes = 0;
        responseStartLost = false;
        requestLost = false;
        sensitive = null;
        done = false;
    }

    /** The tally of the sensitive-data scan, created on first use (a finding, a cut or skipped row). */
    @Override
    public SensitiveTally sensitiveTally() {
        if (sensitive == null) {
            sensitive = new SensitiveTally();
        }
        return sensitive;
    }

    /** The record's {@code response.sensitive}: null when the scan was off or counted nothing. */
    public SensitiveCounts sensitiveCounts() {
        return sensitive == null ? null : sensitive.counts();
    }

    public StatementInfo statement() {
        return statement;
    }

    public void statement(StatementInfo info) {
        statement = info;
    }

    /** The record was emitted, or stands elsewhere (a TLS record for an SSLRequest): nothing more is emitted. */
    public boolean done() {
        return done;
    }

    public void markDone() {
        done = true;
    }

    /** A request message: its times and its bytes. */
    public void request(WireFrame f) {
        requestTimes(f.firstTs, f.lastTs);
        requestBytes += f.wireBytes;
    }

    public void requestTimes(long first, long last) {
        if (!hasRequest) {
            hasRequest = true;
            requestFirstTs = first;
        }
        requestLastTs = last;
    }

    /** Bytes that belong to the request without being a request message (COPY data, LOCAL INFILE, passwords). */
    public void addRequestBytes(long bytes) {
        requestBytes += bytes;
    }

    public long requestFirstTs() {
        return requestFirstTs;
    }

    public long requestLastTs() {
        return requestLastTs;
    }

    public void response(WireFrame f) {
        response(f.firstTs, f.lastTs, f.wireBytes);
    }

    /** Response bytes and times that are not one frame (bytes counted elsewhere, bytes a hole took). */
    public void response(long firstTs, long lastTs, long bytes) {
        if (!hasResponse) {
            hasResponse = true;
            responseFirstTs = firstTs;
        }
        responseLastTs = lastTs;
        responseBytes += bytes;
    }

    public boolean hasResponse() {
        return hasResponse;
    }

    /**
     * The answer's beginning was in a hole (the record is still whole, e.g. rows from the tag): the first answer
     * byte seen is later than the real one, so server_us is unknown rather than too long.
     */
    public void responseStartLost() {
        responseStartLost = true;
    }

    /** The request was in a hole: the record's ts is its answer's first packet, its timings unknown. */
    public void requestLost() {
        requestLost = true;
    }
}
