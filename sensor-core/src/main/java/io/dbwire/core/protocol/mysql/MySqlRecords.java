package io.dbwire.core.protocol.mysql;

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
import java.util.List;

/**
 * Turns working state into {@link TransactionRecord}s: the connection's identity (which COM_CHANGE_USER and
 * COM_INIT_DB/USE change), statement text per {@link StatementMode}, and the rows/bytes/timing rules of
 * docs/records.md.
 */
final class MySqlRecords {
    /** Statement of an EXECUTE whose PREPARE was not seen: no text, a fingerprint no real statement has. */
    static final StatementInfo UNKNOWN_STATEMENT = StatementDescriber.UNKNOWN_STATEMENT;

    private final ConnectionInfo connection;
    private final Endpoint client;
    private final Endpoint server;
    private final int maxStatementBytes;
    private final StatementDescriber statements;
    private final RecordSink sink;
    private final ReasonCounters<MySqlEvent> counters;
    private final SessionIdentity identity;

    MySqlRecords(ConnectionInfo connection, ProtocolConfig config, StatementNormalizer normalizer, RecordSink sink,
            ReasonCounters<MySqlEvent> counters, boolean insideTls) {
        this.identity = new SessionIdentity(connection.midStream(), insideTls);
        this.connection = connection;
        this.client = new Endpoint(connection.clientIp(), connection.clientPort());
        this.server = new Endpoint(connection.serverIp(), connection.serverPort());
        this.maxStatementBytes = Math.max(0, config.maxStatementBytes());
        this.statements = new StatementDescriber(config, normalizer, new StatementDescriber.Events() {
            @Override
            public void normalizerFailed() {
                counters.increment(MySqlEvent.NORMALIZER_FAILURE);
            }

            @Override
            public void statementTruncated() {
                counters.increment(MySqlEvent.STATEMENT_TRUNCATED);
            }
        });
        this.sink = sink;
        this.counters = counters;
    }

    void joinedLate() {
        identity.joinedLate();
    }

    void identity(String newUser, String newDatabase, String newApplication) {
        identity.set(newUser, newDatabase, newApplication);
    }

    void authMethod(String plugin) {
        identity.authMethod(plugin);
    }

    /**
     * A COM_CHANGE_USER the server accepted: its user, database and plugin from now on; the application stays
     * unless the command's connect attributes name a new one.
     */
    void changedUser(String newUser, String newDatabase, String program, String plugin) {
        identity.set(newUser, newDatabase, program != null ? program : identity.application());
        identity.authMethod(plugin);
    }

    /**
     * A COM_CHANGE_USER the server refused: the login record belongs to the attempt (the user, database and plugin
     * it named), while the session's own identity is left as it was. Without a decoded attempt, the session's.
     */
    void refusedChangeUser(MySqlRun run, ErrorInfo error, String user, String database, String plugin) {
        if (run.done) {
            return;
        }
        SessionInfo current = session();
        SessionInfo attempt = user == null ? current : new SessionInfo(user,
                database == null || database.isEmpty() ? null : database, current.application(), current.tls(),
                current.midStream(), current.decrypted(), plugin, current.protocolVersion());
        emit(RecordKind.LOGIN, run, null, RecordStatus.ERROR, error, attempt);
    }

    void user(String newUser) {
        identity.user(newUser);
    }

    void database(String newDatabase) {
        identity.database(newDatabase);
    }

    private SessionInfo session() {
        return identity.info();
    }

    List<String> split(String sql) {
        return statements.split(sql);
    }

    /** Fingerprint and operation always; text per the configured mode, cut to maxStatementBytes. */
    StatementInfo describe(String sql) {
        return statements.describe(sql);
    }

    /**
     * A command without SQL (COM_PING, COM_INIT_DB…): text {@code COM_PING}, operation {@code PING}, fingerprint
     * of that text, so each command kind groups under one fingerprint.
     */
    StatementInfo command(String name) {
        StatementInfo d = describe("COM_" + name);
        return new StatementInfo(statements.mode() == StatementMode.OFF ? null : "COM_" + name, d.fingerprint(), name);
    }

    /** Longest command argument (a table name and wildcard) kept in a command's text: names are 64 characters. */
    static final int MAX_COMMAND_ARGUMENT = 256;

    /**
     * A command naming an object (COM_FIELD_LIST's table): text {@code COM_FIELD_LIST t1}, the fingerprint of the
     * bare command so that every table's listing groups under one fingerprint.
     */
    StatementInfo command(String name, String argument) {
        StatementInfo bare = command(name);
        if (argument == null || argument.isEmpty() || bare.text() == null) {
            return bare;
        }
        String cut = argument.length() <= MAX_COMMAND_ARGUMENT ? argument : argument.substring(0, MAX_COMMAND_ARGUMENT);
        return new StatementInfo(bare.text() + " " + cut, bare.fingerprint(), name);
    }

    /** The prepared statement's text and fingerprint, with the command as operation (PREPARE, CLOSE_STMT…). */
    static StatementInfo as(StatementInfo prepared, String operation) {
        return new StatementInfo(prepared.text(), prepared.fingerprint(), operation);
    }

    void statement(MySqlRun run, RecordStatus status, ErrorInfo error) {
        if (run.done) {
            return;
        }
        if (status == RecordStatus.INCOMPLETE) {
            counters.increment(MySqlEvent.INCOMPLETE_STATEMENTS);
        }
        emit(RecordKind.STATEMENT, run, run.statement, status, error);
    }

    void login(MySqlRun run, RecordStatus status, ErrorInfo error) {
        if (!run.done) {
            emit(RecordKind.LOGIN, run, null, status, error);
        }
    }

    /**
     * The TLS record of a session that ended: ts is the SSLRequest (or the first TLS byte), request and response
     * bytes are the TLS bytes of each direction, duration_us the whole session; identity as the decrypted
     * HandshakeResponse41 showed it ({@code identity}'s, null without keys).
     */
    void tlsSession(long startTs, TlsSessionSummary s, MySqlRecords inner) {
        counters.increment(MySqlEvent.RECORDS_EMITTED);
        SessionInfo info = new SessionInfo(inner.identity.user(), inner.identity.database(),
                inner.identity.application(), true, identity.isJoinedLate(), s.decrypted());
        sink.accept(new TransactionRecord(startTs, RecordKind.TLS, ProtocolNames.MYSQL, connection.id(),
                connection.vni(), client, server, info, null, new RequestInfo(s.clientBytes()),
                new ResponseInfo(null, null, s.serverBytes(), null, Math.max(0, s.endMicros() - startTs)),
                RecordStatus.OK, null, TlsContext.info(s)));
    }

    private void emit(RecordKind kind, MySqlRun run, StatementInfo info, RecordStatus status, ErrorInfo error) {
        emit(kind, run, info, status, error, session());
    }

    private void emit(RecordKind kind, MySqlRun run, StatementInfo info, RecordStatus status, ErrorInfo error,
            SessionInfo session) {
        run.done = true;
        counters.increment(MySqlEvent.RECORDS_EMITTED);
        sink.accept(new TransactionRecord(run.requestFirstTs, kind, ProtocolNames.MYSQL, connection.id(),
                connection.vni(), client, server, session, info, new RequestInfo(run.requestBytes),
                response(run, status != RecordStatus.INCOMPLETE), status, error));
    }

    private static ResponseInfo response(MySqlRun run, boolean complete) {
        if (!run.hasResponse) {
            return null;
        }
        Long rows = run.resultSet ? run.rows : null;
        Long serverUs = Math.max(0, run.responseFirstTs - run.requestLastTs);
        Long durationUs = complete ? Math.max(0, run.responseLastTs - run.requestFirstTs) : null;
        return new ResponseInfo(rows, run.affected, run.responseBytes, serverUs, durationUs);
    }
}
