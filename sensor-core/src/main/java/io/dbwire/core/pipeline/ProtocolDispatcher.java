package io.dbwire.core.pipeline;

import io.dbwire.core.config.ProtocolConfig;
import io.dbwire.core.protocol.postgres.PgBackendDirectory;
import io.dbwire.core.protocol.postgres.PgRecentStrings;
import io.dbwire.core.record.DatabaseProtocol;
import io.dbwire.core.protocol.ProtocolSniffer;
import io.dbwire.core.protocol.SniffOutcome;
import io.dbwire.core.protocol.mysql.MySqlEvent;
import io.dbwire.core.protocol.mysql.MySqlSession;
import io.dbwire.core.protocol.postgres.PgEvent;
import io.dbwire.core.protocol.postgres.PgSession;
import io.dbwire.core.protocol.sql.RecurringStatements;
import io.dbwire.core.protocol.sql.SqlNormalizer;
import io.dbwire.core.protocol.sql.StatementNormalizer;
import io.dbwire.core.record.RecordSink;
import io.dbwire.core.tcp.ConnectionInfo;
import io.dbwire.core.tcp.StreamListener;
import io.dbwire.core.tcp.StreamListenerFactory;
import io.dbwire.core.tls.KeyLogStore;
import io.dbwire.core.tls.TlsContext;
import io.dbwire.core.tls.TlsOptions;
import io.dbwire.core.util.ReasonCounters;

/** Picks the protocol parser for a new connection by its server port. */
final class ProtocolDispatcher implements StreamListenerFactory {
    private final ProtocolConfig config;
    private final RecordSink sink;
    private final StatementNormalizer postgresSql;
    private final ReasonCounters<PgEvent> postgresCounters = new ReasonCounters<>(PgEvent.class);
    /** Backend keys of the sessions seen, so that a CancelRequest names the session it cancels. */
    private final PgBackendDirectory postgresBackends = new PgBackendDirectory();
    /** Statement names and command tags, one table for all PostgreSQL sessions of this engine. */
    private final PgRecentStrings postgresStrings = new PgRecentStrings();
    private final StatementNormalizer mysqlSql;
    private final ReasonCounters<MySqlEvent> mysqlCounters = new ReasonCounters<>(MySqlEvent.class);
    private final ReasonCounters<SniffOutcome> sniffOutcomes = new ReasonCounters<>(SniffOutcome.class);
    /** Key store (or none) and TLS counters shared by every connection's TLS layer. */
    private final TlsContext tls;
    private long unsupportedConnections;

    ProtocolDispatcher(ProtocolConfig config, RecordSink sink) {
        this(config, sink, null);
    }

    /** @param keys session secrets for decryption; null reads TLS sessions for metadata only */
    ProtocolDispatcher(ProtocolConfig config, RecordSink sink, KeyLogStore keys) {
        this.tls = new TlsContext(keys, TlsOptions.DEFAULTS);
        this.config = config;
        this.sink = sink;
        // one engine, one thread: recurring texts are normalised once for all its connections
        this.postgresSql = new RecurringStatements(
                new SqlNormalizer(io.dbwire.core.protocol.sql.SqlDialect.POSTGRESQL, config.maxStatementBytes()));
        this.mysqlSql = new RecurringStatements(
                new SqlNormalizer(io.dbwire.core.protocol.sql.SqlDialect.MYSQL, config.maxStatementBytes()));
    }

    @Override
    public StreamListener open(ConnectionInfo connection) {
        if (config.postgresPorts().contains(connection.serverPort())) {
            return parser(DatabaseProtocol.POSTGRESQL, connection);
        }
        if (config.mysqlPorts().contains(connection.serverPort())) {
            return parser(DatabaseProtocol.MYSQL, connection);
        }
        if (config.detectOtherPorts()) {
            return new ProtocolSniffer(protocol -> parser(protocol, connection), sniffOutcomes);
        }
        unsupportedConnections++;
        return null;
    }

    private StreamListener parser(DatabaseProtocol protocol, ConnectionInfo connection) {
        return protocol == DatabaseProtocol.POSTGRESQL
                ? new PgSession(connection, config, postgresSql, sink, postgresCounters, postgresBackends, tls,
                        postgresStrings)
                : new MySqlSession(connection, config, mysqlSql, sink, mysqlCounters, tls);
    }

    @Override
    public boolean isServerPort(int port) {
        return config.postgresPorts().contains(port) || config.mysqlPorts().contains(port);
    }

    @Override
    public boolean acceptsOtherPorts() {
        return config.detectOtherPorts();
    }

    ReasonCounters<SniffOutcome> sniffOutcomes() {
        return sniffOutcomes;
    }

    ReasonCounters<PgEvent> postgresCounters() {
        return postgresCounters;
    }

    ReasonCounters<MySqlEvent> mysqlCounters() {
        return mysqlCounters;
    }

    TlsContext tls() {
        return tls;
    }

    long unsupportedConnections() {
        return unsupportedConnections;
    }
}
