package io.dbwire.core.protocol.mysql;

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
import io.dbwire.core.record.SessionInfo;
import io.dbwire.core.record.StatementInfo;
import io.dbwire.core.util.SmallLongs;
import io.dbwire.core.tcp.ConnectionInfo;

/**
 * What MySQL adds to the shared record emission: identity changes (COM_CHANGE_USER, COM_INIT_DB/USE), commands
 * without SQL, prepared statements named by their command, rows from result sets and affected rows from OKs.
 */
final class MySqlRecords extends RecordEmitter {
    /** Statement of an EXECUTE whose PREPARE was not seen: no text, a fingerprint no real statement has. */
    static final StatementInfo UNKNOWN_STATEMENT = StatementDescriber.UNKNOWN_STATEMENT;
    /**
     * Statement of a COM_STMT_* whose PREPARE was not seen, saying so ({@code statement.text_unknown}). An OK or a
     * result set does not name the statement's verb: its operation stays UNKNOWN.
     */
    static final StatementInfo PREPARE_NOT_SEEN = StatementDescriber.PREPARE_NOT_SEEN;

    MySqlRecords(ConnectionInfo connection, ProtocolConfig config, StatementNormalizer normalizer, RecordSink sink,
            SessionCounters<MySqlEvent> counters, boolean insideTls) {
        super(DatabaseProtocol.MYSQL, connection, config, normalizer, sink, counters, insideTls);
    }

    void identity(String newUser, String newDatabase, String newApplication) {
        identity().set(newUser, newDatabase, newApplication);
    }

    /**
     * A COM_CHANGE_USER the server accepted: its user, database and plugin from now on; the application stays
     * unless the command's connect attributes name a new one.
     */
    void changedUser(String newUser, String newDatabase, String program, String plugin) {
        identity().set(newUser, newDatabase, program != null ? program : identity().application());
        identity().authMethod(plugin);
    }

    /**
     * A COM_CHANGE_USER the server refused: the login record belongs to the attempt (the user, database and plugin
     * it named), while the session's own identity is left as it was. Without a decoded attempt, the session's.
     */
    void refusedChangeUser(MySqlRun run, ErrorInfo error, String user, String database, String plugin) {
        SessionInfo current = identity().info();
        SessionInfo attempt = user == null ? current : new SessionInfo(user,
                database == null || database.isEmpty() ? null : database, current.application(), current.tls(),
                current.midStream(), current.decrypted(), plugin, current.protocolVersion());
        login(run, RecordStatus.ERROR, error, attempt);
    }

    void user(String newUser) {
        identity().user(newUser);
    }

    void database(String newDatabase) {
        identity().database(newDatabase);
    }

    /**
     * A command without SQL (COM_PING, COM_INIT_DB…): text {@code COM_PING}, operation {@code PING}, fingerprint
     * of that text, so each command kind groups under one fingerprint.
     */
    StatementInfo command(String name) {
        StatementInfo d = describe("COM_" + name);
        return new StatementInfo(statementMode() == StatementMode.OFF ? null : "COM_" + name, d.fingerprint(), name);
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
        return new StatementInfo(prepared.text(), prepared.fingerprint(), operation, null, prepared.textUnknown());
    }

    /** Rows only when a result set came (0 is then a count); affected rows summed over the OKs. */
    void statement(MySqlRun run, RecordStatus status, ErrorInfo error) {
        statement(run, run.statement(), run.resultSet ? SmallLongs.valueOf(run.rows) : null, run.affected, status, error);
    }
}
