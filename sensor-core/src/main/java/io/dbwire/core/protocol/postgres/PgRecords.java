package io.dbwire.core.protocol.postgres;

import io.dbwire.core.config.ProtocolConfig;
import io.dbwire.core.config.StatementMode;
import io.dbwire.core.protocol.SessionIdentity;
import io.dbwire.core.protocol.StatementDescriber;
import io.dbwire.core.protocol.sql.StatementNormalizer;
import io.dbwire.core.record.Endpoint;
import io.dbwire.core.record.ErrorInfo;
import io.dbwire.core.record.ProtocolNames;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RecordSink;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.RequestInfo;
import io.dbwire.core.record.ResponseInfo;
import io.dbwire.core.record.SessionInfo;
import io.dbwire.core.record.StatementInfo;
import io.dbwire.core.record.TransactionRecord;
import io.dbwire.core.tcp.ConnectionInfo;
import io.dbwire.core.tls.TlsContext;
import io.dbwire.core.tls.TlsSessionSummary;
import io.dbwire.core.util.ReasonCounters;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Turns working state into {@link TransactionRecord}s: the connection's identity, statement text per
 * {@link StatementMode}, and the rows/bytes/timing rules documented in docs/records.md.
 */
final class PgRecords {
    /**
     * Statement of a Bind/Execute whose Parse was not seen (it happened before the capture began, or it was
     * evicted): no text, a fingerprint of zeros that no real statement has, operation UNKNOWN. Never a guess.
     */
    static final StatementInfo UNKNOWN_STATEMENT = StatementDescriber.UNKNOWN_STATEMENT;

    static final String FUNCTION_CALL_OPERATION = "FUNCTION_CALL";

    private final ConnectionInfo connection;
    private final Endpoint client;
    private final Endpoint server;
    private final int maxStatementBytes;
    private final boolean bindParameters;
    private final StatementDescriber statements;
    private final RecordSink sink;
    private final ReasonCounters<PgEvent> counters;
    /** Picked up without the startup phase: identity unknown. */
    private final SessionIdentity identity;

    PgRecords(ConnectionInfo connection, ProtocolConfig config, StatementNormalizer normalizer, RecordSink sink,
            ReasonCounters<PgEvent> counters, boolean insideTls) {
        this.identity = new SessionIdentity(connection.midStream(), insideTls);
        this.connection = connection;
        this.client = new Endpoint(connection.clientIp(), connection.clientPort());
        this.server = new Endpoint(connection.serverIp(), connection.serverPort());
        this.maxStatementBytes = Math.max(0, config.maxStatementBytes());
        this.statements = new StatementDescriber(config, normalizer, new StatementDescriber.Events() {
            @Override
            public void normalizerFailed() {
                counters.increment(PgEvent.NORMALIZER_FAILURE);
            }

            @Override
            public void statementTruncated() {
                counters.increment(PgEvent.STATEMENT_TRUNCATED);
            }
        });
        this.sink = sink;
        this.counters = counters;
        this.bindParameters = config.bindParameters() && statements.mode() != StatementMode.OFF;
    }

    /** Whether Bind values go into the statement text (configured, and there is a text to put them in). */
    boolean bindParameters() {
        return bindParameters;
    }

    /** Longest statement text or value worth keeping for bind parameter substitution. */
    int maxStatementBytes() {
        return maxStatementBytes;
    }

    /** The startup phase was not seen after all (first client bytes were not a startup-phase message). */
    void joinedLate() {
        identity.joinedLate();
    }

    void startup(String startupUser, String startupDatabase, String startupApplication) {
        identity.set(startupUser, startupDatabase, startupApplication);
    }

    /** The protocol version in effect: the StartupMessage's, lowered by a NegotiateProtocolVersion answer. */
    void protocolVersion(int major, int minor) {
        identity.protocolVersion(major + "." + minor);
    }

    /** This session as a CancelRequest on another connection would name it. */
    PgBackendDirectory.Victim victim() {
        return new PgBackendDirectory.Victim(connection.id(), identity.user(), identity.database(),
                identity.application());
    }

    /**
     * A CancelRequest matched to its victim by process id and secret key: the cancel record carries the
     * identity of the session it cancels (the cancel connection itself has no startup and no identity).
     */
    void cancelOf(PgBackendDirectory.Victim victim) {
        identity.set(victim.user(), victim.database(), victim.application());
    }

    /** The server reports application_name when it changes (ParameterStatus): a seen fact, not a guess. */
    void authMethod(String method) {
        identity.authMethod(method);
    }

    void application(String value) {
        identity.application(value);
    }

    private SessionInfo session(boolean tls) {
        return tls ? identity.encryptedInfo() : identity.info();
    }

    List<String> split(String sql) {
        return statements.split(sql);
    }

    /** Fingerprint and operation always; text per the configured mode, cut to maxStatementBytes. */
    StatementInfo describe(String sql) {
        return statements.describe(sql);
    }

    /**
     * A fastpath FunctionCall names its function by OID only: the text says so (the server logs the same call as
     * {@code fastpath function call: "lo_open" (OID 952)}), the fingerprint is a hash of the OID, and the
     * operation is {@code FUNCTION_CALL}. The arguments are never read.
     */
    StatementInfo functionCall(int oid) {
        long unsigned = oid & 0xffffffffL;
        String text = statements.mode() == StatementMode.OFF ? null : "fastpath function call (OID " + unsigned + ")";
        long h = 0xcbf29ce484222325L; // FNV-1a 64 over a tag and the OID: stable across runs and versions
        for (byte b : ("FUNCTION_CALL:" + unsigned).getBytes(StandardCharsets.US_ASCII)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return new StatementInfo(text, String.format("%016x", h), FUNCTION_CALL_OPERATION);
    }

    void statement(StatementRun run, StatementInfo info, RecordStatus status, ErrorInfo error, String tag) {
        if (run.done) {
            return;
        }
        Long rows;
        if (run.copyOut) {
            rows = run.copyOutRows;
        } else if (run.rowDescription || run.dataRows > 0) {
            rows = run.dataRows;
        } else {
            rows = CommandTag.rowsReturned(tag);
        }
        if (status == RecordStatus.INCOMPLETE) {
            counters.increment(PgEvent.INCOMPLETE_STATEMENTS);
        }
        emit(RecordKind.STATEMENT, run, info, rows, CommandTag.rowsAffected(tag), status, error, tag);
    }

    void login(StatementRun run, RecordStatus status, ErrorInfo error) {
        if (!run.done) {
            emit(RecordKind.LOGIN, run, null, null, null, status, error, null);
        }
    }

    /** TLS and CANCEL records: a request and at most a one-byte answer, no statement. */
    void bare(RecordKind kind, StatementRun run) {
        if (run.done) {
            return;
        }
        run.done = true;
        counters.increment(PgEvent.RECORDS_EMITTED);
        sink.accept(new TransactionRecord(run.requestFirstTs, kind, ProtocolNames.POSTGRESQL, connection.id(),
                connection.vni(), client, server, session(kind == RecordKind.TLS), null,
                new RequestInfo(run.requestBytes), response(run, null, null, true, null), RecordStatus.OK, null));
    }

    /**
     * The TLS record of a session that ended: ts is the SSLRequest (or the first TLS byte), request and response
     * bytes are the TLS bytes of each direction, duration_us the whole session; identity as the decrypted session
     * showed it (null without keys).
     */
    void tlsSession(long startTs, TlsSessionSummary s, PgBackendDirectory.Victim inner) {
        counters.increment(PgEvent.RECORDS_EMITTED);
        SessionInfo info = new SessionInfo(inner.user(), inner.database(), inner.application(), true,
                identity.isJoinedLate(), s.decrypted());
        sink.accept(new TransactionRecord(startTs, RecordKind.TLS, ProtocolNames.POSTGRESQL, connection.id(),
                connection.vni(), client, server, info, null, new RequestInfo(s.clientBytes()),
                new ResponseInfo(null, null, s.serverBytes(), null, Math.max(0, s.endMicros() - startTs)),
                RecordStatus.OK, null, TlsContext.info(s)));
    }

    private void emit(RecordKind kind, StatementRun run, StatementInfo info, Long rows, Long affected,
            RecordStatus status, ErrorInfo error, String tag) {
        run.done = true;
        counters.increment(PgEvent.RECORDS_EMITTED);
        sink.accept(new TransactionRecord(run.requestFirstTs, kind, ProtocolNames.POSTGRESQL, connection.id(),
                connection.vni(), client, server, session(false), info, new RequestInfo(run.requestBytes),
                response(run, rows, affected, status != RecordStatus.INCOMPLETE, tag), status, error));
    }

    /**
     * server_us: request's last byte to response's first byte; duration_us: request's first byte to response's
     * last byte (unknown, so null, when the response was cut). No response seen at all: the block is null.
     */
    private static ResponseInfo response(StatementRun run, Long rows, Long affected, boolean complete, String tag) {
        if (!run.hasResponse) {
            return null;
        }
        Long serverUs = Math.max(0, run.responseFirstTs - run.requestLastTs);
        Long durationUs = complete ? Math.max(0, run.responseLastTs - run.requestFirstTs) : null;
        return new ResponseInfo(rows, affected, run.responseBytes, serverUs, durationUs, CommandTag.recorded(tag),
                CommandTag.transaction(tag));
    }
}
