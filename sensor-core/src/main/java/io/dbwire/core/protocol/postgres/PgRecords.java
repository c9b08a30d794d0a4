package io.dbwire.core.protocol.postgres;

import io.dbwire.core.config.ProtocolConfig;
import io.dbwire.core.config.StatementMode;
import io.dbwire.core.protocol.StatementDescriber;
import io.dbwire.core.protocol.session.RecordEmitter;
import io.dbwire.core.protocol.session.SessionCounters;
import io.dbwire.core.protocol.sql.StatementNormalizer;
import io.dbwire.core.record.ErrorInfo;
import io.dbwire.core.record.DatabaseProtocol;
import io.dbwire.core.record.RecordSink;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.StatementInfo;
import io.dbwire.core.util.SmallLongs;
import io.dbwire.core.tcp.ConnectionInfo;
import java.nio.charset.StandardCharsets;

/**
 * What PostgreSQL adds to the shared record emission: rows from DataRow counts, COPY OUT data or the command tag;
 * fastpath function calls; Bind values in the statement text; the identity a CancelRequest names.
 */
final class PgRecords extends RecordEmitter {
    /**
     * Statement of a Bind/Execute whose Parse was not seen (it happened before the capture began, or it was
     * evicted): no text, a fingerprint of zeros that no real statement has, operation UNKNOWN. Never a guess.
     */
    static final StatementInfo UNKNOWN_STATEMENT = StatementDescriber.UNKNOWN_STATEMENT;
    /** A Bind/Execute of a named statement whose Parse was not seen: {@code statement.text_unknown} says so. */
    static final StatementInfo PREPARE_NOT_SEEN = StatementDescriber.PREPARE_NOT_SEEN;
    static final StatementInfo REQUEST_NOT_SEEN = StatementDescriber.REQUEST_NOT_SEEN;

    static final String FUNCTION_CALL_OPERATION = "FUNCTION_CALL";

    private final boolean bindParameters;

    PgRecords(ConnectionInfo connection, ProtocolConfig config, StatementNormalizer normalizer, RecordSink sink,
            SessionCounters<PgEvent> counters, boolean insideTls) {
        super(DatabaseProtocol.POSTGRESQL, connection, config, normalizer, sink, counters, insideTls);
        this.bindParameters = config.bindParameters() && statementMode() != StatementMode.OFF;
    }

    /** Whether Bind values go into the statement text (configured, and there is a text to put them in). */
    boolean bindParameters() {
        return bindParameters;
    }

    void startup(String startupUser, String startupDatabase, String startupApplication) {
        identity().set(startupUser, startupDatabase, startupApplication);
    }

    /** The protocol version in effect: the StartupMessage's, lowered by a NegotiateProtocolVersion answer. */
    void protocolVersion(int major, int minor) {
        identity().protocolVersion(major + "." + minor);
    }

    /** This session as a CancelRequest on another connection would name it. */
    PgBackendDirectory.Victim victim() {
        return new PgBackendDirectory.Victim(connection().id(), identity().user(), identity().database(),
                identity().application());
    }

    /**
     * A CancelRequest matched to its victim by process id and secret key: the cancel record carries the
     * identity of the session it cancels (the cancel connection itself has no startup and no identity).
     */
    void cancelOf(PgBackendDirectory.Victim victim) {
        identity().set(victim.user(), victim.database(), victim.application());
    }

    /** The server reports application_name when it changes (ParameterStatus): a seen fact, not a guess. */
    void application(String value) {
        identity().application(value);
    }

    /**
     * A fastpath FunctionCall names its function by OID only: the text says so (the server logs the same call as
     * {@code fastpath function call: "lo_open" (OID 952)}), the fingerprint is a hash of the OID, and the
     * operation is {@code FUNCTION_CALL}. The arguments are never read.
     */
    StatementInfo functionCall(int oid) {
        long unsigned = oid & 0xffffffffL;
        String text = statementMode() == StatementMode.OFF ? null : "fastpath function call (OID " + unsigned + ")";
        long h = 0xcbf29ce484222325L; // FNV-1a 64 over a tag and the OID: stable across runs and versions
        for (byte b : ("FUNCTION_CALL:" + unsigned).getBytes(StandardCharsets.US_ASCII)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return new StatementInfo(text, String.format("%016x", h), FUNCTION_CALL_OPERATION);
    }

    /**
     * Rows: COPY OUT data messages, else DataRows (a row description means 0 is a count), else the tag's. A
     * statement whose text is unknown takes its operation from the tag: the server's own word for what ran.
     */
    void statement(PgRun run, StatementInfo info, RecordStatus status, ErrorInfo error, String tag) {
        String fromTag = info == null || info.textUnknown() == null ? null : CommandTag.operation(tag);
        if (fromTag != null) {
            info = info.withOperation(fromTag);
        }
        Long rows;
        if (run.rowsFromTag) { // what the clean count would have been: CopyData lines or DataRows, as the tag says
            rows = run.copyOut ? CommandTag.rowsAffected(tag) : CommandTag.rowsReturned(tag);
        } else if (run.copyOut) {
            rows = SmallLongs.valueOf(run.copyOutRows);
        } else if (run.rowDescription || run.dataRows > 0) {
            rows = SmallLongs.valueOf(run.dataRows);
        } else {
            rows = CommandTag.rowsReturned(tag);
        }
        statement(run, info, rows, CommandTag.rowsAffected(tag), CommandTag.recorded(tag), CommandTag.transaction(tag),
                status, error);
    }
}
