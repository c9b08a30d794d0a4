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
import io.dbwire.core.record.StatementInfo;
import io.dbwire.core.tcp.ConnectionInfo;

/**
 * What MySQL adds to the shared record emission: identity changes (COM_CHANGE_USER, COM_INIT_DB/USE), commands
 * without SQL, prepared statements named by their command, rows from result sets and affected rows from OKs.
 */
final class MySqlRecords extends RecordEmitter {
    /** Statement of an EXECUTE whose PREPARE was not seen: no text, a fingerprint no real statement has. */
    static final StatementInfo UNKNOWN_STATEMENT = StatementDescriber.UNKNOWN_STATEMENT;

    MySqlRecords(ConnectionInfo connection, ProtocolConfig config, StatementNormalizer normalizer, RecordSink sink,
            SessionCounters<MySqlEvent> counters, boolean insideTls) {
        super(DatabaseProtocol.MYSQL, connection, config, normalizer, sink, counters, insideTls);
    }

    void identity(String newUser, String newDatabase, String newApplication) {
        identity().set(newUser, newDatabase, newApplication);
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

    /** The prepared statement's text and fingerprint, with the command as operation (PREPARE, CLOSE_STMT…). */
    static StatementInfo as(StatementInfo prepared, String operation) {
        return new StatementInfo(prepared.text(), prepared.fingerprint(), operation);
    }

    /** Rows only when a result set came (0 is then a count); affected rows summed over the OKs. */
    void statement(MySqlRun run, RecordStatus status, ErrorInfo error) {
        statement(run, run.statement(), run.resultSet ? run.rows : null, run.affected, status, error);
    }
}
