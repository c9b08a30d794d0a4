package io.dbwire.core.record;

import java.util.Objects;

/**
 * One transaction record: a statement, a login, a TLS session or a cancel, as documented in docs/records.md.
 * Blocks that do not apply to a kind are null (a login has no statement block).
 *
 * @param tsMicros     packet time of the request's first byte, microseconds since the epoch
 * @param connectionId sensor-local connection number, to group records of one connection
 * @param vni          tunnel VNI, or -1 when the traffic was not tunnelled
 * @param tls          the TLS session summary, only on records of kind {@code tls}; null otherwise
 */
public record TransactionRecord(
        long tsMicros,
        RecordKind kind,
        String protocol,
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
        TlsInfo tls) {

    /** A record of any kind but {@code tls}: no TLS block. */
    public TransactionRecord(long tsMicros, RecordKind kind, String protocol, long connectionId, int vni,
            Endpoint client, Endpoint server, SessionInfo session, StatementInfo statement, RequestInfo request,
            ResponseInfo response, RecordStatus status, ErrorInfo error) {
        this(tsMicros, kind, protocol, connectionId, vni, client, server, session, statement, request, response,
                status, error, null);
    }

    public TransactionRecord {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(status, "status");
    }
}
