package io.dbwire.core.record;

import java.util.Objects;

/**
 * One transaction record: a statement, a login, a TLS session or a cancel, as documented in docs/records.md.
 * Blocks that do not apply to a kind are null (a login has no statement block). Built with {@link #builder}.
 *
 * @param tsMicros         packet time of the request's first byte, microseconds since the epoch
 * @param databaseProtocol the protocol; {@link #protocol()} is its name as the JSON field shows it
 * @param connectionId     sensor-local connection number, to group records of one connection
 * @param vni              tunnel VNI, or -1 when the traffic was not tunnelled
 * @param tls              the TLS session summary, only on records of kind {@code tls}; null otherwise
 * @param gaps             the hole in the mirrored stream that cut this record short, or null (no gap met it)
 */
public record TransactionRecord(
        long tsMicros,
        RecordKind kind,
        DatabaseProtocol databaseProtocol,
        long connectionId,
        int vni,
        Endpoint client,
        Endpoint server,
        SessionInfo session,
        StatementInfo statement,
        RequestInfo request,
        ResponseInfo response,
        RecordStatus status,
        ErrorInfo error,
        TlsInfo tls,
        GapInfo gaps) {

    public TransactionRecord {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(databaseProtocol, "databaseProtocol");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(status, "status");
    }

    /** The {@code protocol} field: {@code postgresql} or {@code mysql}. */
    public String protocol() {
        return databaseProtocol.wireName();
    }

    /** A record of {@code kind}; status OK, vni -1 and every block null until set. */
    public static Builder builder(RecordKind kind, DatabaseProtocol protocol) {
        return new Builder(kind, protocol);
    }

    /** A builder holding this record's values, to make a changed copy. */
    public Builder toBuilder() {
        return new Builder(kind, databaseProtocol).ts(tsMicros).connection(connectionId, vni).client(client)
                .server(server).session(session).statement(statement).request(request).response(response)
                .status(status).error(error).tls(tls).gaps(gaps);
    }

    /** Names each part of a record, so that no kind needs null placeholders for blocks it does not have. */
    public static final class Builder {
        private final RecordKind kind;
        private final DatabaseProtocol protocol;
        private long tsMicros;
        private long connectionId;
        private int vni = -1;
        private Endpoint client;
        private Endpoint server;
        private SessionInfo session;
        private StatementInfo statement;
        private RequestInfo request;
        private ResponseInfo response;
        private RecordStatus status = RecordStatus.OK;
        private ErrorInfo error;
        private TlsInfo tls;
        private GapInfo gaps;

        private Builder(RecordKind kind, DatabaseProtocol protocol) {
            this.kind = kind;
            this.protocol = protocol;
        }

        public Builder ts(long micros) {
            this.tsMicros = micros;
            return this;
        }

        public Builder connection(long id, int tunnelVni) {
            this.connectionId = id;
            this.vni = tunnelVni;
            return this;
        }

        public Builder client(Endpoint endpoint) {
            this.client = endpoint;
            return this;
        }

        public Builder server(Endpoint endpoint) {
            this.server = endpoint;
            return this;
        }

        public Builder session(SessionInfo info) {
            this.session = info;
            return this;
        }

        public Builder statement(StatementInfo info) {
            this.statement = info;
            return this;
        }

        public Builder request(RequestInfo info) {
            this.request = info;
            return this;
        }

        public Builder response(ResponseInfo info) {
            this.response = info;
            return this;
        }

        public Builder status(RecordStatus value) {
            this.status = value;
            return this;
        }

        public Builder error(ErrorInfo info) {
            this.error = info;
            return this;
        }

        public Builder tls(TlsInfo info) {
            this.tls = info;
            return this;
        }

        public Builder gaps(GapInfo info) {
            this.gaps = info;
            return this;
        }

        public TransactionRecord build() {
            return new TransactionRecord(tsMicros, kind, protocol, connectionId, vni, client, server, session,
                    statement, request, response, status, error, tls, gaps);
        }
    }
}
