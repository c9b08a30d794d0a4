package io.dbwire.core.protocol.session;

import io.dbwire.core.config.ProtocolConfig;
import io.dbwire.core.config.StatementMode;
import io.dbwire.core.protocol.SessionIdentity;
import io.dbwire.core.protocol.StatementDescriber;
import io.dbwire.core.protocol.sensitive.SensitiveRows;
import io.dbwire.core.protocol.sql.StatementNormalizer;
import io.dbwire.core.record.DatabaseProtocol;
import io.dbwire.core.record.Endpoint;
import io.dbwire.core.record.ErrorInfo;
import io.dbwire.core.record.GapInfo;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RecordSink;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.record.RequestInfo;
import io.dbwire.core.record.ResponseInfo;
import io.dbwire.core.record.SessionInfo;
import io.dbwire.core.record.StatementInfo;
import io.dbwire.core.record.TransactionRecord;
import io.dbwire.core.tcp.ConnectionInfo;
import io.dbwire.core.tcp.Direction;
import io.dbwire.core.tls.TlsContext;
import io.dbwire.core.tls.TlsSessionSummary;
import io.dbwire.core.util.SmallLongs;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Turns a connection's {@link RequestRun}s into {@link TransactionRecord}s, the same way for every protocol: the
 * connection's identity, statement text per {@link StatementMode}, and the bytes and timing rules documented in
 * docs/records.md. Every run becomes at most one record. A protocol extends it with what its records add (how
 * rows are counted, statements without SQL).
 */
public class RecordEmitter {
    /** Statements of one multi-statement request that get their own run. */
    public static final int MAX_STATEMENTS_PER_QUERY = 1024;

    private final DatabaseProtocol protocol;
    private final ConnectionInfo connection;
    private final Endpoint client;
    private final Endpoint server;
    private final int maxStatementBytes;
    private final StatementDescriber statements;
    private final RecordSink sink;
    private final SessionCounters<?> counters;
    private final SessionIdentity identity;
    /** The hole being handled while its in-flight requests are emitted incomplete, or null. */
    private GapInfo gap;
    /** The connection's latest hole, for records a protocol finds cut by it only later ({@link #underLastGap}). */
    private GapInfo lastGap;
    private final SensitiveRows sensitiveRows;

    public RecordEmitter(DatabaseProtocol protocol, ConnectionInfo connection, ProtocolConfig config,
            StatementNormalizer normalizer, RecordSink sink, SessionCounters<?> counters, boolean insideTls) {
        this.protocol = protocol;
        this.identity = new SessionIdentity(connection.midStream(), insideTls);
        this.connection = connection;
        this.client = new Endpoint(connection.clientIp(), connection.clientPort());
        this.server = new Endpoint(connection.serverIp(), connection.serverPort());
        this.maxStatementBytes = Math.max(0, config.maxStatementBytes());
        this.statements = new StatementDescriber(config, normalizer, new StatementDescriber.Events() {
            @Override
            public void normalizerFailed() {
                counters.increment(CommonEvent.NORMALIZER_FAILURE);
            }

            @Override
            public void statementTruncated() {
                counters.increment(CommonEvent.STATEMENT_TRUNCATED);
            }

            @Override
            public void attributed(boolean cut) {
                counters.increment(cut ? CommonEvent.ATTRIBUTION_CUT : CommonEvent.ATTRIBUTED_STATEMENTS);
            }
        });
        this.sink = sink;
        this.counters = counters;
        this.sensitiveRows = SensitiveRows.of(config.sensitiveData(), () -> new SensitiveRows.Events() {
            @Override
            public void rowScanned() {
                counters.increment(CommonEvent.SENSITIVE_ROWS_SCANNED);
            }

            @Override
            public void rowCut() {
                counters.increment(CommonEvent.SENSITIVE_ROWS_CUT);
            }

            @Override
            public void rowSkipped() {
                counters.increment(CommonEvent.SENSITIVE_ROWS_SKIPPED);
            }

            @Override
            public void valuesFound(int n) {
                counters.add(CommonEvent.SENSITIVE_VALUES_FOUND, n);
            }
        });
    }

    /** The opt-in sensitive-data scan of this connection's result rows. */
    public final SensitiveRows sensitiveRows() {
        return sensitiveRows;
    }

    /**
     * A gap of {@code missingBytes} in {@code direction} is being handled: records emitted until {@link #gapDone}
     * are the ones it cut short and carry it ({@code gaps}).
     */
    final void gapStarts(Direction direction, long missingBytes) {
        long bytes = Math.max(0, missingBytes);
        gap = direction == Direction.CLIENT_TO_SERVER ? new GapInfo(bytes, 0) : new GapInfo(0, bytes);
        lastGap = gap;
    }

    final void gapDone() {
        gap = null;
    }

    /** The exchange is back in step after the latest hole: later records owe it nothing. */
    public final void pastLastGap() {
        lastGap = null;
    }

    /**
     * Records {@code emit} emits were cut short by the connection's latest hole, which the protocol finds out only
     * now (a MySQL answer out of sequence after it): they carry that hole like the records emitted during it.
     */
    public final void underLastGap(Runnable emit) {
        underGap(gap != null ? gap : lastGap, emit);
    }

    /** The hole being handled now (between {@code gapStarts} and {@code gapDone}), or null. */
    public final GapInfo handlingGap() {
        return gap;
    }

    /** Records {@code emit} emits carry {@code hole}: a record a protocol carried across that hole. */
    public final void underGap(GapInfo hole, Runnable emit) {
        GapInfo outer = gap;
        gap = hole;
        try {
            emit.run();
        } finally {
            gap = outer;
        }
    }

    /** Who the records belong to: set by the protocol's login, changed by what the protocol reports later. */
    public final SessionIdentity identity() {
        return identity;
    }

    public final ConnectionInfo connection() {
        return connection;
    }

    /** The start of the connection (its login) was not seen after all. */
    public final void joinedLate() {
        identity.joinedLate();
    }

    public final void authMethod(String method) {
        identity.authMethod(method);
    }

    public final StatementMode statementMode() {
        return statements.mode();
    }

    /** Longest statement text a record keeps. */
    public final int maxStatementBytes() {
        return maxStatementBytes;
    }

    /** Fingerprint and operation always; text per the configured mode, cut to maxStatementBytes. */
    public final StatementInfo describe(String sql) {
        return statements.describe(sql);
    }

    /**
     * One run per statement of a multi-statement text (at most {@link #MAX_STATEMENTS_PER_QUERY}), all with the
     * request's times; the request's bytes go to the first statement, 0 to the rest.
     */
    public final <R extends RequestRun> List<R> statementRuns(String sql, WireFrame request,
            Function<StatementInfo, R> newRun) {
        return statementRuns(statements.split(sql), request, newRun);
    }

    /** The statements of a multi-statement string ({@link StatementDescriber#split}). */
    public final List<String> split(String sql) {
        return statements.split(sql);
    }

    /** As {@link #statementRuns(String, WireFrame, Function)}, for a text already {@link #split}. */
    public final <R extends RequestRun> List<R> statementRuns(List<String> parts, WireFrame request,
            Function<StatementInfo, R> newRun) {
        int n = Math.min(parts.size(), MAX_STATEMENTS_PER_QUERY);
        List<R> runs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            R run = newRun.apply(describe(parts.get(i)));
            run.requestTimes(request.firstTs, request.lastTs);
            if (i == 0) {
                run.addRequestBytes(request.wireBytes);
            }
            runs.add(run);
        }
        return runs;
    }

    /** A statement record, once per run; an incomplete one is counted. */
    public final void statement(RequestRun run, StatementInfo info, Long rows, Long affected,
            RecordStatus status, ErrorInfo error) {
        statement(run, info, rows, affected, null, null, status, error);
    }

    /**
     * A statement record whose response names what the server did ({@link ResponseInfo#commandTag()},
     * {@link ResponseInfo#transaction()}), once per run; an incomplete one is counted.
     */
    public final void statement(RequestRun run, StatementInfo info, Long rows, Long affected, String commandTag,
            String transaction, RecordStatus status, ErrorInfo error) {
        if (run.done()) {
            return;
        }
        if (status == RecordStatus.INCOMPLETE) {
            counters.increment(CommonEvent.INCOMPLETE_STATEMENTS);
            if (gap != null) {
                counters.increment(CommonEvent.GAP_INCOMPLETE_STATEMENTS);
            }
        }
        identity.statement(info == null ? null : info.text());
        emit(RecordKind.STATEMENT, run, identity.info(), info, rows, affected, commandTag, transaction, status,
                error);
    }

    public final void login(RequestRun run, RecordStatus status, ErrorInfo error) {
        login(run, status, error, identity.loginInfo());
    }

    /** A login record under another identity than the session's: a refused change of user names the attempt. */
    public final void login(RequestRun run, RecordStatus status, ErrorInfo error, SessionInfo session) {
        if (!run.done()) {
            emit(RecordKind.LOGIN, run, session, null, null, null, null, null, status, error);
        }
    }

    /** TLS and CANCEL records: a request and at most a one-byte answer, no statement. */
    public final void bare(RecordKind kind, RequestRun run) {
        if (run.done()) {
            return;
        }
        run.markDone();
        counters.increment(CommonEvent.RECORDS_EMITTED);
        SessionInfo session = kind == RecordKind.TLS ? identity.encryptedInfo() : identity.info();
        sink.accept(record(kind, run.requestFirstTs, session, null, RequestInfo.of(run.requestBytes),
                response(run, null, null, true), RecordStatus.OK, null));
    }

    /**
     * The TLS record of a session that ended: ts is the SSLRequest (or the first TLS byte), request and response
     * bytes are the TLS bytes of each direction, duration_us the whole session; identity as the decrypted session
     * showed it (nulls without keys).
     */
    final void tlsSession(long startTs, TlsSessionSummary s, SessionIdentity inner) {
        counters.increment(CommonEvent.RECORDS_EMITTED);
        SessionInfo info = new SessionInfo(inner.user(), inner.database(), inner.application(), true,
                identity.isJoinedLate(), s.decrypted());
        sink.accept(record(RecordKind.TLS, startTs).session(info).request(new RequestInfo(s.clientBytes()))
                .response(new ResponseInfo(null, null, s.serverBytes(), null, Math.max(0, s.endMicros() - startTs)))
                .tls(TlsContext.info(s)).build());
    }

    private void emit(RecordKind kind, RequestRun run, SessionInfo session, StatementInfo info, Long rows,
            Long affected, String commandTag, String transaction, RecordStatus status, ErrorInfo error) {
        run.markDone();
        counters.increment(CommonEvent.RECORDS_EMITTED);
        if (requestAfterAnswer(run)) {
            counters.increment(CommonEvent.REQUEST_AFTER_ANSWER);
        }
        sink.accept(record(kind, requestTs(run), session, info, RequestInfo.of(run.requestBytes),
                response(run, rows, affected, status != RecordStatus.INCOMPLETE, commandTag, transaction), status,
                error));
    }

    /** Built without the record's Builder: once per statement, and escape analysis did not remove the Builder. */
    private TransactionRecord record(RecordKind kind, long tsMicros, SessionInfo session, StatementInfo info,
            RequestInfo request, ResponseInfo response, RecordStatus status, ErrorInfo error) {
        return new TransactionRecord(tsMicros, kind, protocol, connection.id(), connection.vni(), client, server,
                session, info, request, response, status, error, null, gap);
    }

    private TransactionRecord.Builder record(RecordKind kind, long tsMicros) {
        return TransactionRecord.builder(kind, protocol).ts(tsMicros).connection(connection.id(), connection.vni())
                .client(client).server(server);
    }

    /**
     * The request's first packet reached the sensor after its answer's first packet: it was reordered on the
     * mirror's way (a load balancer, a second mirror session), since a server answers only what it has read.
     * When it was really sent is unknown; the answer's first packet is the latest it can have been.
     */
    private static boolean requestAfterAnswer(RequestRun run) {
        return run.hasRequest && run.hasResponse && run.requestFirstTs > run.responseFirstTs;
    }

    /** No time of the request is known: it came after its answer began, or the mirror lost it. */
    private static boolean requestTimeUnknown(RequestRun run) {
        return requestAfterAnswer(run) || (run.requestLost && run.hasResponse);
    }

    /** The record's ts: the request's first packet, bounded by its answer's first (see requestAfterAnswer). */
    private static long requestTs(RequestRun run) {
        return requestTimeUnknown(run) ? run.responseFirstTs : run.requestFirstTs;
    }

    /**
     * server_us: request's last byte to response's first byte; duration_us: request's first byte to response's
     * last byte (unknown, so null, when the response was cut). No response seen at all: the block is null. Both
     * are null (unknown) when the request's packet arrived after its answer began: 0 would be a made-up time;
     * server_us alone is null when a hole took the answer's beginning.
     */
    private static ResponseInfo response(RequestRun run, Long rows, Long affected, boolean complete) {
        return response(run, rows, affected, complete, null, null);
    }

    private static ResponseInfo response(RequestRun run, Long rows, Long affected, boolean complete,
            String commandTag, String transaction) {
        if (!run.hasResponse) {
            return null;
        }
        boolean timed = !requestTimeUnknown(run);
        Long serverUs = timed && !run.responseStartLost
                ? SmallLongs.valueOf(Math.max(0, run.responseFirstTs - run.requestLastTs)) : null;
        Long durationUs = complete && timed
                ? SmallLongs.valueOf(Math.max(0, run.responseLastTs - run.requestFirstTs)) : null;
        return new ResponseInfo(rows, affected, run.responseBytes, serverUs, durationUs, commandTag, transaction,
                run.sensitiveCounts());
    }
}
