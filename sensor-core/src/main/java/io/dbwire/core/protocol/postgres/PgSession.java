package io.dbwire.core.protocol.postgres;

import io.dbwire.core.config.ProtocolConfig;
import io.dbwire.core.protocol.postgres.BackendMessage.Authentication;
import io.dbwire.core.protocol.postgres.BackendMessage.BackendKeyData;
import io.dbwire.core.protocol.postgres.BackendMessage.ErrorResponse;
import io.dbwire.core.protocol.postgres.BackendMessage.ParameterStatus;
import io.dbwire.core.protocol.postgres.FrontendMessage.CancelRequest;
import io.dbwire.core.protocol.postgres.FrontendMessage.Startup;
import io.dbwire.core.protocol.sql.StatementNormalizer;
import io.dbwire.core.record.ErrorInfo;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RecordSink;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.tcp.CloseReason;
import io.dbwire.core.tcp.ConnectionInfo;
import io.dbwire.core.tcp.Direction;
import io.dbwire.core.tcp.StreamListener;
import io.dbwire.core.tls.TlsContext;
import io.dbwire.core.tls.TlsSessionSummary;
import io.dbwire.core.util.ReasonCounters;

/**
 * Passive parser of one PostgreSQL connection (protocol 3.x): frames both byte streams, follows the startup
 * and authentication phase, and hands everything after login to the {@link RequestPipeline}. Emits LOGIN,
 * STATEMENT, TLS and CANCEL records to the sink (docs/records.md). Never throws on input: every oddity is a
 * counted {@link PgEvent}. https://www.postgresql.org/docs/current/protocol-flow.html
 *
 * <p>TLS (the 'S' answer to SSLRequest, a direct-TLS ClientHello, or records met mid-stream): the rest of both
 * directions goes to a {@link io.dbwire.core.tls.TlsDecryptingListener} whose downstream is a second PgSession
 * for the same connection, starting where a clear-text one would after 'N' (it expects the StartupMessage) and
 * marking its records {@code tls} and {@code decrypted}. With no keys it simply sees no bytes. When the TLS
 * session ends, one TLS record with the session summary is emitted (docs/tls.md).
 */
public final class PgSession implements StreamListener {
    /** Server messages the session needs are small (errors, tags, parameters): 16 KiB of each is kept. */
    static final int SERVER_KEEP_BYTES = 16 * 1024;
    /** Client bodies (query text) are kept up to this, at least 256 KiB, so long statements still normalise. */
    static final int CLIENT_KEEP_MIN_BYTES = 256 * 1024;

    enum Phase { STARTUP, SSL_WAIT, AUTH, READY, FAILED, TLS, DONE }

    private final ReasonCounters<PgEvent> counters;
    private final PgRecords records;
    private final RequestPipeline pipeline;
    private final PgFramer client;
    private final PgFramer server;
    private final PgReader reader = new PgReader();
    private final ConnectionInfo connection;
    private final ProtocolConfig config;
    private final StatementNormalizer normalizer;
    private final RecordSink sink;
    private final PgBackendDirectory directory;
    /** Shared TLS state of the engine; null until needed when the session was built without one. */
    private TlsContext tlsContext;
    /** This session reads the decrypted bytes of an outer session's TLS stream. */
    private final boolean insideTls;
    /** In phase TLS: where both directions' bytes go. */
    private StreamListener tls;
    /** In phase TLS: the clear-text session reading the decrypted bytes. */
    private PgSession decrypted;
    private long tlsStartTs;
    /** Inside TLS: plaintext arrived already; and whether stretches were lost before it (see {@link #onGap}). */
    private boolean plaintextSeen;
    private boolean lostBeforePlaintext;

    private Phase phase;
    private boolean closed;
    /** The startup-phase request (SSLRequest, StartupMessage…) and the auth exchange that answers it. */
    private StatementRun login;
    private boolean gssRequest;
    private boolean authOk;
    /** The server sent an authentication request before AuthenticationOk (otherwise: trust). */
    private boolean authRequested;
    private int backendPid;
    private int backendKey;
    /** This session's entry in the directory shared with the engine's other sessions (CancelRequest matching). */
    private final PgBackendDirectory.Registration backends;

    /** A session that cannot match CancelRequests to their victims (no directory shared with other sessions). */
    public PgSession(ConnectionInfo connection, ProtocolConfig config, StatementNormalizer normalizer,
            RecordSink sink, ReasonCounters<PgEvent> counters) {
        this(connection, config, normalizer, sink, counters, null);
    }

    /**
     * @param backends shared by all sessions of one engine: BackendKeyData seen here lets a CancelRequest on
     *                 another connection name this session (docs/records.md, kind {@code cancel}); may be null
     */
    public PgSession(ConnectionInfo connection, ProtocolConfig config, StatementNormalizer normalizer,
            RecordSink sink, ReasonCounters<PgEvent> counters, PgBackendDirectory backends) {
        this(connection, config, normalizer, sink, counters, backends, null, false);
    }

    /**
     * @param tlsContext the engine's key store and TLS counters; null reads TLS sessions for metadata only
     */
    public PgSession(ConnectionInfo connection, ProtocolConfig config, StatementNormalizer normalizer,
            RecordSink sink, ReasonCounters<PgEvent> counters, PgBackendDirectory backends, TlsContext tlsContext) {
        this(connection, config, normalizer, sink, counters, backends, tlsContext, false);
    }

    private PgSession(ConnectionInfo connection, ProtocolConfig config, StatementNormalizer normalizer,
            RecordSink sink, ReasonCounters<PgEvent> counters, PgBackendDirectory backends, TlsContext tlsContext,
            boolean insideTls) {
        this.counters = counters;
        this.connection = connection;
        this.config = config;
        this.normalizer = normalizer;
        this.sink = sink;
        this.directory = backends;
        this.tlsContext = tlsContext;
        this.insideTls = insideTls;
        this.backends = new PgBackendDirectory.Registration(backends, connection);
        this.records = new PgRecords(connection, config, normalizer, sink, counters, insideTls);
        this.pipeline = new RequestPipeline(records, counters);
        boolean mid = connection.midStream();
        int max = config.maxMessageBytes();
        int clientKeep = (int) Math.min(Math.max(0, max),
                Math.max(CLIENT_KEEP_MIN_BYTES, 4L * Math.max(0, config.maxStatementBytes())));
        this.client = new PgFramer(true, !mid, mid, max, clientKeep, counters, new PgFramer.Handler() {
            @Override
            public void onFrame(PgFrame frame) {
                onClientFrame(frame);
            }

            @Override
            public void onDesync() {
                lostAlignment();
            }

            @Override
            public void onTail(byte[] buffer, int offset, int length, long tsMicros) {
                toTls(Direction.CLIENT_TO_SERVER, buffer, offset, length, tsMicros);
            }
        });
        this.server = new PgFramer(false, false, mid, max, Math.min(SERVER_KEEP_BYTES, Math.max(64, max)),
                counters, new PgFramer.Handler() {
                    @Override
                    public void onFrame(PgFrame frame) {
                        onServerFrame(frame);
                    }

                    @Override
                    public void onDesync() {
                        lostAlignment();
                    }

                    @Override
                    public void onTail(byte[] buffer, int offset, int length, long tsMicros) {
                        toTls(Direction.SERVER_TO_CLIENT, buffer, offset, length, tsMicros);
                    }
                });
        this.phase = mid ? Phase.READY : Phase.STARTUP;
    }

    /** Backend process id from BackendKeyData (0 until seen): what a CancelRequest on another connection names. */
    public int backendPid() {
        return backendPid;
    }

    public int backendKey() {
        return backendKey;
    }

    @Override
    public void onData(Direction direction, byte[] buffer, int offset, int length, long tsMicros) {
        if (closed || phase == Phase.DONE || buffer == null || length <= 0 || offset < 0
                || offset > buffer.length - length) {
            return;
        }
        if (phase == Phase.TLS) {
            toTls(direction, buffer, offset, length, tsMicros);
            return;
        }
        if (insideTls && !plaintextSeen) {
            plaintextSeen = true;
            if (lostBeforePlaintext) { // keys came late or part of the session was lost: we join mid-stream
                counters.increment(PgEvent.GAPS);
                client.gap();
                server.gap();
                lostAlignment();
            }
        }
        framer(direction == Direction.CLIENT_TO_SERVER ? Direction.SERVER_TO_CLIENT : Direction.CLIENT_TO_SERVER)
                .exchangeBoundary();
        framer(direction).onData(buffer, offset, length, tsMicros);
    }

    private void toTls(Direction direction, byte[] buffer, int offset, int length, long tsMicros) {
        if (tls != null && length > 0) {
            tls.onData(direction, buffer, offset, length, tsMicros);
        }
    }

    @Override
    public void onGap(Direction direction, long missingBytes, long tsMicros) {
        if (closed || phase == Phase.DONE) {
            return;
        }
        if (phase == Phase.TLS) {
            tls.onGap(direction, missingBytes, tsMicros); // the TLS layer counts it; the plaintext side sees a gap
            return;
        }
        if (insideTls && !plaintextSeen) {
            // Without keys every record is lost plaintext: not a problem of this parser unless plaintext follows.
            lostBeforePlaintext = true;
            return;
        }
        counters.increment(PgEvent.GAPS);
        framer(direction).gap();
        lostAlignment();
    }

    /** A gap or a violation: what was waiting for an answer can no longer be paired; emit it incomplete, once. */
    private void lostAlignment() {
        if (phase == Phase.DONE || phase == Phase.FAILED || phase == Phase.TLS) {
            return;
        }
        pipeline.flushIncomplete();
        if (phase == Phase.AUTH) {
            records.login(login, RecordStatus.INCOMPLETE, null);
        } else if (phase == Phase.STARTUP || phase == Phase.SSL_WAIT) {
            records.joinedLate(); // whatever identity came next was not seen
        }
        phase = Phase.READY;
    }

    @Override
    public void onClose(CloseReason reason, long tsMicros) {
        if (closed) {
            return;
        }
        closed = true;
        client.close();
        server.close();
        backends.end();
        if (phase == Phase.TLS) {
            phase = Phase.DONE;
            tls.onClose(reason, tsMicros); // closes the decrypted session, then delivers the summary
            return;
        }
        if (phase == Phase.DONE) {
            return;
        }
        pipeline.flushIncomplete();
        if (phase == Phase.AUTH) {
            records.login(login, RecordStatus.INCOMPLETE, null);
        }
        phase = Phase.DONE;
    }

    private PgFramer framer(Direction d) {
        return d == Direction.CLIENT_TO_SERVER ? client : server;
    }

    private void stop() {
        phase = Phase.DONE;
        client.stop();
        server.stop();
    }

    // ---- client -------------------------------------------------------------------------------------------

    private void onClientFrame(PgFrame f) {
        try {
            if (f.tls) {
                onDirectTls(client, f);
            } else if (f.type == PgWire.UNTYPED) {
                onStartupPhase(f);
            } else if (phase == Phase.AUTH && f.type == PgWire.F_PASSWORD) {
                login.requestBytes += f.wireBytes; // password / SASL / GSS response: counted, never read
            } else if (phase != Phase.FAILED && phase != Phase.DONE) {
                if (phase == Phase.STARTUP || phase == Phase.SSL_WAIT) {
                    phase = Phase.READY; // typed traffic without a startup we saw
                    records.joinedLate();
                }
                pipeline.onClient(f, reader.reset(f));
            }
        } catch (RuntimeException e) {
            counters.increment(PgEvent.INTERNAL_ERROR);
        }
    }

    private void onStartupPhase(PgFrame f) {
        Startup s = Startup.decode(reader.reset(f));
        if (s == null) {
            counters.increment(PgEvent.PROTOCOL_VIOLATION_BODY);
            return;
        }
        login = new StatementRun(null);
        login.request(f);
        switch (s.code()) {
            case PgWire.SSL_REQUEST_CODE, PgWire.GSSENC_REQUEST_CODE -> {
                gssRequest = s.code() == PgWire.GSSENC_REQUEST_CODE;
                phase = Phase.SSL_WAIT;
                server.expectSslAnswer();
            }
            case PgWire.CANCEL_REQUEST_CODE -> {
                CancelRequest c = CancelRequest.decode(reader.reset(f));
                if (c == null) {
                    counters.increment(PgEvent.PROTOCOL_VIOLATION_BODY);
                }
                counters.increment(PgEvent.CANCEL_REQUESTS);
                PgBackendDirectory.Victim victim = c == null ? null : backends.cancelled(c.processId(), c.keyHash());
                if (victim != null) {
                    counters.increment(PgEvent.CANCEL_MATCHED);
                    records.cancelOf(victim);
                }
                records.bare(RecordKind.CANCEL, login);
                stop();
            }
            default -> {
                if ((s.code() >>> 16) != 3) {
                    counters.increment(PgEvent.UNSUPPORTED_PROTOCOL_VERSION);
                    stop();
                    return;
                }
                records.startup(s.user(), s.database(), s.application());
                client.typed();
                phase = Phase.AUTH;
            }
        }
    }

    // ---- server -------------------------------------------------------------------------------------------

    private void onServerFrame(PgFrame f) {
        try {
            if (f.tls) {
                onDirectTls(server, f);
                return;
            }
            if (f.sslAnswer) {
                onSslAnswer(f);
                return;
            }
            if (phase == Phase.SSL_WAIT) {
                phase = Phase.STARTUP; // e.g. an ErrorResponse instead of 'S'/'N'; the client may retry in clear
            }
            if (phase == Phase.AUTH && onAuthPhase(f)) {
                return;
            }
            switch (f.type) {
                case PgWire.B_PARAMETER_STATUS -> onParameterStatus(f);
                case PgWire.B_BACKEND_KEY_DATA -> onBackendKeyData(f);
                default -> {
                    if (phase != Phase.FAILED && phase != Phase.DONE) {
                        pipeline.onServer(f, reader.reset(f));
                    }
                }
            }
        } catch (RuntimeException e) {
            counters.increment(PgEvent.INTERNAL_ERROR);
        }
    }

    /**
     * 'S': TLS follows; the rest goes to the TLS layer. 'G' (GSSAPI encryption): one bare TLS record, then nothing
     * is readable. 'N': clear text.
     */
    private void onSslAnswer(PgFrame f) {
        // The framer only reads this byte after an SSLRequest/GSSENCRequest, so it is trusted even if a client-side
        // gap moved the phase on meanwhile.
        if (f.type == 'N') {
            if (phase == Phase.SSL_WAIT) {
                phase = Phase.STARTUP; // the client now sends its StartupMessage in clear
            }
            return;
        }
        if (login == null) {
            login = new StatementRun(null);
            login.requestTimes(f.firstTs, f.firstTs);
        }
        if (f.type == 'G' || gssRequest) {
            counters.increment(PgEvent.GSS_ENCRYPTED_SESSIONS);
            login.response(f);
            records.bare(RecordKind.TLS, login);
            stop();
            return;
        }
        login.done = true; // the TLS record, emitted at the end of the session, stands for it
        startTls(server, login.requestFirstTs);
    }

    /** TLS without SSLRequest (direct negotiation, or joined mid-stream): the stream goes to the TLS layer. */
    private void onDirectTls(PgFramer from, PgFrame f) {
        startTls(from, f.firstTs);
    }

    /** From here both directions are TLS records; {@code from} hands over what it has already read. */
    private void startTls(PgFramer from, long startTs) {
        counters.increment(PgEvent.TLS_SESSIONS);
        stop();
        if (insideTls) {
            return; // TLS inside decrypted TLS is no PostgreSQL protocol: nothing more to read
        }
        if (tlsContext == null) {
            tlsContext = TlsContext.metadataOnly();
        }
        tlsStartTs = startTs;
        decrypted = new PgSession(connection, config, normalizer, sink, counters, directory, tlsContext, true);
        tls = tlsContext.open(decrypted, this::onTlsSummary);
        phase = Phase.TLS;
        from.handOff();
    }

    /** The TLS session ended (after the decrypted session closed): its record, with the identity it showed. */
    private void onTlsSummary(TlsSessionSummary summary) {
        records.tlsSession(tlsStartTs, summary, decrypted.records.victim());
    }

    /** Returns false for messages that are not part of authentication (they go to the pipeline). */
    private boolean onAuthPhase(PgFrame f) {
        switch (f.type) {
            case PgWire.B_AUTHENTICATION -> {
                login.response(f);
                Authentication a = Authentication.decode(reader.reset(f));
                if (a == null) {
                    counters.increment(PgEvent.PROTOCOL_VIOLATION_BODY);
                } else if (a.code() == PgWire.AUTH_OK) {
                    if (!authOk && !authRequested) {
                        records.authMethod("trust"); // AuthenticationOk with no request before it
                    }
                    authOk = true;
                } else {
                    String method = PgWire.authMethod(a.code());
                    if (method != null) {
                        authRequested = true;
                        records.authMethod(method);
                    }
                }
            }
            case PgWire.B_PARAMETER_STATUS -> {
                login.response(f);
                onParameterStatus(f);
            }
            case PgWire.B_BACKEND_KEY_DATA -> {
                login.response(f);
                onBackendKeyData(f);
            }
            case PgWire.B_NOTICE_RESPONSE, PgWire.B_NEGOTIATE_PROTOCOL_VERSION -> login.response(f);
            case PgWire.B_ERROR_RESPONSE -> {
                login.response(f);
                ErrorResponse e = ErrorResponse.decode(reader.reset(f));
                if (e == null) {
                    counters.increment(PgEvent.PROTOCOL_VIOLATION_BODY);
                }
                counters.increment(PgEvent.LOGINS_FAILED);
                records.login(login, RecordStatus.ERROR,
                        e == null ? new ErrorInfo(null, null) : new ErrorInfo(e.code(), e.message()));
                phase = Phase.FAILED; // the server closes the connection
            }
            case PgWire.B_READY_FOR_QUERY -> {
                login.response(f);
                if (!authOk) {
                    counters.increment(PgEvent.PROTOCOL_VIOLATION_SEQUENCE);
                }
                counters.increment(PgEvent.LOGINS_OK);
                records.login(login, RecordStatus.OK, null);
                phase = Phase.READY;
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private void onParameterStatus(PgFrame f) {
        ParameterStatus p = ParameterStatus.decode(reader.reset(f));
        if (p == null) {
            counters.increment(PgEvent.PROTOCOL_VIOLATION_BODY);
        } else if ("application_name".equals(p.name())) {
            records.application(p.value());
            backends.identity(records.victim());
        }
    }

    private void onBackendKeyData(PgFrame f) {
        BackendKeyData k = BackendKeyData.decode(reader.reset(f));
        if (k == null) {
            counters.increment(PgEvent.PROTOCOL_VIOLATION_BODY);
            return;
        }
        if (k.keyLength() > BackendKeyData.MAX_KEY) {
            counters.increment(PgEvent.PROTOCOL_VIOLATION_BODY); // 3.2 allows 256 bytes; still usable for matching
        }
        backendPid = k.processId();
        backendKey = k.secretKey();
        backends.backend(k.processId(), k.keyHash(), records.victim());
    }
}
