package io.dbwire.core.protocol.postgres;

import io.dbwire.core.config.ProtocolConfig;
import io.dbwire.core.memory.MemoryAccount;
import io.dbwire.core.protocol.postgres.PgServerMessage.Authentication;
import io.dbwire.core.protocol.postgres.PgServerMessage.BackendKeyData;
import io.dbwire.core.protocol.postgres.PgServerMessage.ErrorResponse;
import io.dbwire.core.protocol.postgres.PgServerMessage.NegotiateProtocolVersion;
import io.dbwire.core.protocol.postgres.PgServerMessage.ParameterStatus;
import io.dbwire.core.protocol.postgres.PgClientMessage.CancelRequest;
import io.dbwire.core.protocol.attribution.ClientTools;
import io.dbwire.core.protocol.postgres.PgClientMessage.Startup;
import io.dbwire.core.protocol.session.KeptBytes;
import io.dbwire.core.protocol.session.ProtocolSession;
import io.dbwire.core.protocol.session.SessionCounters;
import io.dbwire.core.protocol.sql.StatementNormalizer;
import io.dbwire.core.record.ErrorInfo;
import io.dbwire.core.record.RecordKind;
import io.dbwire.core.record.RecordSink;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.tcp.ConnectionInfo;
import io.dbwire.core.tcp.Direction;
import io.dbwire.core.tls.TlsContext;
import io.dbwire.core.util.ReasonCounters;

/**
 * Passive parser of one PostgreSQL connection (protocol 3.x): frames both byte streams, follows the startup
 * and authentication phase, and hands everything after login to the {@link PgCommandPhase}. Emits LOGIN,
 * STATEMENT, TLS and CANCEL records to the sink (docs/records.md). Never throws on input: every oddity is a
 * counted {@link PgEvent}. https://www.postgresql.org/docs/current/protocol-flow.html
 *
 * <p>TLS (the 'S' answer to SSLRequest, a direct-TLS ClientHello, or records met mid-stream) is handed to the
 * shared {@link ProtocolSession}: the decrypted bytes go to a second PgSession for the same connection, starting
 * where a clear-text one would after 'N' (it expects the StartupMessage) and marking its records {@code tls} and
 * {@code decrypted}. With no keys it simply sees no bytes. When the TLS session ends, one TLS record with the
 * session summary is emitted (docs/tls.md).
 */
public final class PgSession extends ProtocolSession<PgEvent> {
    enum Phase { STARTUP, SSL_WAIT, AUTH, READY, FAILED }

    private final ReasonCounters<PgEvent> events;
    private final PgRecords records;
    private final PgCommandPhase commands;
    private final PgFramer client;
    private final PgFramer server;
    private final PgReader reader;
    private final PgRecentStrings strings;
    private final ConnectionInfo connection;
    private final ProtocolConfig config;
    private final StatementNormalizer normalizer;
    private final RecordSink sink;
    private final PgBackendDirectory directory;

    private Phase phase;
    /** The startup-phase request (SSLRequest, StartupMessage…) and the auth exchange that answers it. */
    private PgRun login;
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
        this(connection, config, normalizer, sink, counters, backends, null);
    }

    /**
     * @param tlsContext the engine's key store and TLS counters; null reads TLS sessions for metadata only
     */
    public PgSession(ConnectionInfo connection, ProtocolConfig config, StatementNormalizer normalizer,
            RecordSink sink, ReasonCounters<PgEvent> counters, PgBackendDirectory backends, TlsContext tlsContext) {
        this(connection, config, normalizer, sink, counters, backends, tlsContext, new PgRecentStrings());
    }

    /** @param strings the recurring names and tags, shared by all sessions of one engine (one thread) */
    public PgSession(ConnectionInfo connection, ProtocolConfig config, StatementNormalizer normalizer,
            RecordSink sink, ReasonCounters<PgEvent> counters, PgBackendDirectory backends, TlsContext tlsContext,
            PgRecentStrings strings) {
        this(connection, config, normalizer, sink, new SessionCounters<>(counters, PgEvent.class), backends,
                tlsContext, false, strings);
    }

    private PgSession(ConnectionInfo connection, ProtocolConfig config, StatementNormalizer normalizer,
            RecordSink sink, SessionCounters<PgEvent> counters, PgBackendDirectory backends, TlsContext tlsContext,
            boolean insideTls, PgRecentStrings strings) {
        this(connection, config, normalizer, sink, counters, backends, tlsContext, insideTls, strings,
                new PgRecords(connection, config, normalizer, sink, counters, insideTls));
    }

    private PgSession(ConnectionInfo connection, ProtocolConfig config, StatementNormalizer normalizer,
            RecordSink sink, SessionCounters<PgEvent> counters, PgBackendDirectory backends, TlsContext tlsContext,
            boolean insideTls, PgRecentStrings strings, PgRecords records) {
        super(counters, records, tlsContext, insideTls);
        this.strings = strings;
        this.reader = new PgReader(strings);
        this.events = counters.reasons();
        this.connection = connection;
        this.config = config;
        this.normalizer = normalizer;
        this.sink = sink;
        this.directory = backends;
        this.backends = new PgBackendDirectory.Registration(backends, connection);
        this.records = records;
        this.commands = new PgCommandPhase(records, counters, strings.spareQueries());
        boolean mid = connection.midStream();
        int max = config.maxMessageBytes();
        this.client = new PgFramer(true, !mid, mid, max, KeptBytes.client(config), events,
                new DirectionHandler<>(Direction.CLIENT_TO_SERVER) {
                    @Override
                    public void onFrame(PgFrame f) {
                        onClientFrame(f);
                    }
                });
        this.server = new PgFramer(false, false, mid, max, KeptBytes.server(config), events,
                new DirectionHandler<>(Direction.SERVER_TO_CLIENT) {
                    @Override
                    public void onFrame(PgFrame f) {
                        onServerFrame(f);
                    }
                });
        if (records.sensitiveRows().on()) {
            server.keepDataRows(records.sensitiveRows().rowKeep());
        }
        framers(client, server);
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
    protected PgSession decryptedSession(TlsContext context) {
        return new PgSession(connection, config, normalizer, sink, counters, directory, context, true, strings);
    }

    /** The direction whose bytes were lost just before this {@link #lostAlignment()}, else null. */
    private Direction lostDirection;

    @Override
    protected void bytesLost(Direction direction) {
        lostDirection = direction;
    }

    /**
     * A gap or a violation: what was waiting for an answer can no longer be paired; emit it incomplete, once —
     * unless a hole leaves the one statement in flight provably answered by the tag still to come.
     */
    @Override
    protected void lostAlignment() {
        Direction lost = lostDirection;
        lostDirection = null;
        boolean lostRequestsOnly = lost == Direction.CLIENT_TO_SERVER && phase == Phase.READY && !stopped()
                && commands.quietInStep();
        if (phase == Phase.READY && !stopped() && lost != null
                && commands.carryThroughGap(records.handlingGap(), lost == Direction.SERVER_TO_CLIENT)) {
            return;
        }
        commands.flushIncomplete();
        if (lostRequestsOnly) {
            commands.expectAnswersOfLostRequests();
        }
        if (phase == Phase.FAILED) {
            return;
        }
        if (phase == Phase.AUTH) {
            records.login(login, RecordStatus.INCOMPLETE, null);
        } else if (phase == Phase.STARTUP || phase == Phase.SSL_WAIT) {
            records.joinedLate(); // whatever identity came next was not seen
        }
        phase = Phase.READY;
    }

    @Override
    protected void trimIdle() {
        reader.release();
        commands.trimIdle();
        if (phase == Phase.READY || phase == Phase.FAILED) {
            login = null; // its record was emitted; only the startup and auth phases use it
        }
    }

    @Override
    protected void onClosing() {
        backends.end();
    }

    // ---- client -------------------------------------------------------------------------------------------

    private void onClientFrame(PgFrame f) {
        if (f.tls) {
            startTls(client, f.firstTs); // direct TLS negotiation, or joined mid-stream
        } else if (f.type == PgWire.UNTYPED) {
            onStartupPhase(f);
        } else if (phase == Phase.AUTH && f.type == PgWire.F_PASSWORD) {
            login.addRequestBytes(f.wireBytes); // password / SASL / GSS response: counted, never read
        } else if (phase != Phase.FAILED && !stopped()) {
            if (phase == Phase.STARTUP || phase == Phase.SSL_WAIT) {
                phase = Phase.READY; // typed traffic without a startup we saw
                records.joinedLate();
            }
            commands.onClient(f, reader.reset(f));
        }
    }

    private void onStartupPhase(PgFrame f) {
        Startup s = Startup.decode(reader.reset(f));
        if (s == null) {
            events.increment(PgEvent.PROTOCOL_VIOLATION_BODY);
            return;
        }
        login = new PgRun(null);
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
                    events.increment(PgEvent.PROTOCOL_VIOLATION_BODY);
                }
                events.increment(PgEvent.CANCEL_REQUESTS);
                PgBackendDirectory.Victim victim = c == null ? null : backends.cancelled(c.processId(), c.keyHash());
                if (victim != null) {
                    events.increment(PgEvent.CANCEL_MATCHED);
                    records.cancelOf(victim);
                }
                records.bare(RecordKind.CANCEL, login);
                stop();
            }
            default -> {
                if ((s.code() >>> 16) != 3) {
                    events.increment(PgEvent.UNSUPPORTED_PROTOCOL_VERSION);
                    stop();
                    return;
                }
                records.startup(s.user(), s.database(), s.application());
                records.identity().client(ClientTools.postgres(s.application(), s.parameters()), s.parameters());
                records.protocolVersion(s.code() >>> 16, s.code() & 0xffff);
                client.typed();
                phase = Phase.AUTH;
            }
        }
    }

    // ---- server -------------------------------------------------------------------------------------------

    private void onServerFrame(PgFrame f) {
        if (f.tls) {
            startTls(server, f.firstTs);
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
                if (phase != Phase.FAILED && !stopped()) {
                    commands.onServer(f, reader.reset(f));
                }
            }
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
            login = new PgRun(null);
            login.requestTimes(f.firstTs, f.firstTs);
        }
        if (f.type == 'G' || gssRequest) {
            events.increment(PgEvent.GSS_ENCRYPTED_SESSIONS);
            login.response(f);
            records.bare(RecordKind.TLS, login);
            stop();
            return;
        }
        login.markDone(); // the TLS record, emitted at the end of the session, stands for it
        startTls(server, login.requestFirstTs());
    }

    /** Returns false for messages that are not part of authentication (they go to the command phase). */
    private boolean onAuthPhase(PgFrame f) {
        switch (f.type) {
            case PgWire.B_AUTHENTICATION -> {
                login.response(f);
                Authentication a = Authentication.decode(reader.reset(f));
                if (a == null) {
                    events.increment(PgEvent.PROTOCOL_VIOLATION_BODY);
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
            case PgWire.B_NOTICE_RESPONSE -> login.response(f);
            case PgWire.B_NEGOTIATE_PROTOCOL_VERSION -> {
                login.response(f);
                NegotiateProtocolVersion v = NegotiateProtocolVersion.decode(reader.reset(f));
                if (v == null) {
                    events.increment(PgEvent.PROTOCOL_VIOLATION_BODY);
                } else {
                    records.protocolVersion(v.major(), v.minor()); // the server's newest, below what was asked
                }
            }
            case PgWire.B_ERROR_RESPONSE -> {
                login.response(f);
                ErrorResponse e = ErrorResponse.decode(reader.reset(f));
                if (e == null) {
                    events.increment(PgEvent.PROTOCOL_VIOLATION_BODY);
                }
                events.increment(PgEvent.LOGINS_FAILED);
                records.login(login, RecordStatus.ERROR,
                        e == null ? new ErrorInfo(null, null) : new ErrorInfo(e.code(), e.message()));
                phase = Phase.FAILED; // the server closes the connection
            }
            case PgWire.B_READY_FOR_QUERY -> {
                login.response(f);
                if (!authOk) {
                    events.increment(PgEvent.PROTOCOL_VIOLATION_SEQUENCE);
                }
                events.increment(PgEvent.LOGINS_OK);
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
            events.increment(PgEvent.PROTOCOL_VIOLATION_BODY);
        } else if ("application_name".equals(p.name())) {
            records.application(p.value());
            backends.identity(records.victim());
        }
    }

    private void onBackendKeyData(PgFrame f) {
        BackendKeyData k = BackendKeyData.decode(reader.reset(f));
        if (k == null) {
            events.increment(PgEvent.PROTOCOL_VIOLATION_BODY);
            return;
        }
        if (k.keyLength() > BackendKeyData.MAX_KEY) {
            events.increment(PgEvent.PROTOCOL_VIOLATION_BODY); // 3.2 allows 256 bytes; still usable for matching
        }
        backendPid = k.processId();
        backendKey = k.secretKey();
        backends.backend(k.processId(), k.keyHash(), records.victim());
    }

    @Override
    public void chargeTo(MemoryAccount account) {
        super.chargeTo(account);
        commands.chargeTo(account);
    }
}
