package io.dbwire.core.protocol.mysql;

import io.dbwire.core.config.ProtocolConfig;
import io.dbwire.core.memory.MemoryAccount;
import io.dbwire.core.protocol.attribution.ClientTools;
import io.dbwire.core.protocol.mysql.MySqlClientMessage.HandshakeResponse;
import io.dbwire.core.protocol.mysql.MySqlServerMessage.AuthSwitchRequest;
import io.dbwire.core.protocol.mysql.MySqlServerMessage.Err;
import io.dbwire.core.protocol.mysql.MySqlServerMessage.Handshake;
import io.dbwire.core.protocol.session.KeptBytes;
import io.dbwire.core.protocol.session.ProtocolSession;
import io.dbwire.core.protocol.session.SessionCounters;
import io.dbwire.core.protocol.sql.StatementNormalizer;
import io.dbwire.core.record.ErrorInfo;
import io.dbwire.core.record.RecordSink;
import io.dbwire.core.record.RecordStatus;
import io.dbwire.core.tcp.ConnectionInfo;
import io.dbwire.core.tcp.Direction;
import io.dbwire.core.tls.TlsContext;
import io.dbwire.core.util.ReasonCounters;

/**
 * Passive parser of one MySQL/MariaDB connection: frames both byte streams, follows the connection phase
 * (Handshake v10, SSLRequest, HandshakeResponse41, auth switch and more-data exchanges, the OK/ERR outcome) and
 * hands the command phase to {@link MySqlCommandPhase}. Emits LOGIN, STATEMENT and TLS records (docs/records.md).
 * Never throws on input: every oddity is a counted {@link MySqlEvent}.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase.html
 *
 * <p>After the client's SSLRequest (or TLS records met mid-stream) the shared {@link ProtocolSession} hands both
 * directions to the TLS layer, whose decrypted bytes go to a second MySqlSession that continues with
 * the full HandshakeResponse41 (it inherits the server's capabilities and the sequence id from the greeting seen
 * in clear) and marks its records {@code tls} and {@code decrypted}. One TLS record with the session summary is
 * emitted when the TLS session ends (docs/tls.md).
 */
public final class MySqlSession extends ProtocolSession<MySqlEvent> {
    /** A Handshake v10 is about 80 bytes; anything this large is not a greeting. */
    static final int MAX_GREETING_BYTES = 4096;
    /** Capabilities assumed for a connection picked up mid-stream (what every 4.1+ client sets). */
    static final long MID_STREAM_CAPABILITIES = MySqlWire.CLIENT_PROTOCOL_41 | MySqlWire.CLIENT_SECURE_CONNECTION;

    enum Phase { GREETING, RESPONSE, AUTH, COMMAND }

    /** An AuthSwitchRequest's marker and plugin name (MySQL caps plugin names at 64 characters). */
    static final int AUTH_SWITCH_KEEP_BYTES = 1 + 256;

    private final ReasonCounters<MySqlEvent> events;
    private final MySqlRecords records;
    private final MySqlCommandPhase commands;
    private final MySqlFramer client;
    private final MySqlFramer server;
    private final MySqlReader reader = new MySqlReader();

    private Phase phase;
    private long serverCapabilities;
    private long capabilities;
    /** Sequence id the next connection-phase packet should carry (either direction). */
    private int nextSeq;
    private MySqlRun login;
    /** The first bytes the server sent, kept until there are enough to judge the greeting. */
    private final byte[] greetingHead = new byte[MySqlWire.HEADER + 1];
    private int greetingFill;
    /** Picked up mid-stream and no byte judged yet: the place to recognise a connection already in TLS. */
    private boolean midStreamStart;

    private final ConnectionInfo connection;
    private final ProtocolConfig config;
    private final StatementNormalizer normalizer;
    private final RecordSink sink;
    /** Set when TLS starts: what the session reading the decrypted bytes inherits from this one. */
    private Carry tlsCarry;

    /**
     * What a session continuing after SSLRequest inherits from the greeting seen in clear.
     *
     * @param afterSslRequest false for a connection picked up mid-stream already in TLS (nothing to inherit)
     */
    private record Carry(boolean afterSslRequest, long serverCapabilities, int nextSeq) {}

    public MySqlSession(ConnectionInfo connection, ProtocolConfig config, StatementNormalizer normalizer,
            RecordSink sink, ReasonCounters<MySqlEvent> counters) {
        this(connection, config, normalizer, sink, counters, null);
    }

    /** @param tlsContext the engine's key store and TLS counters; null reads TLS sessions for metadata only */
    public MySqlSession(ConnectionInfo connection, ProtocolConfig config, StatementNormalizer normalizer,
            RecordSink sink, ReasonCounters<MySqlEvent> counters, TlsContext tlsContext) {
        this(connection, config, normalizer, sink, counters, tlsContext, null);
    }

    private MySqlSession(ConnectionInfo connection, ProtocolConfig config, StatementNormalizer normalizer,
            RecordSink sink, ReasonCounters<MySqlEvent> counters, TlsContext tlsContext, Carry carry) {
        this(connection, config, normalizer, sink, new SessionCounters<>(counters, MySqlEvent.class), tlsContext,
                carry);
    }

    private MySqlSession(ConnectionInfo connection, ProtocolConfig config, StatementNormalizer normalizer,
            RecordSink sink, SessionCounters<MySqlEvent> counters, TlsContext tlsContext, Carry carry) {
        this(connection, config, normalizer, sink, counters, tlsContext, carry,
                new MySqlRecords(connection, config, normalizer, sink, counters, carry != null));
    }

    private MySqlSession(ConnectionInfo connection, ProtocolConfig config, StatementNormalizer normalizer,
            RecordSink sink, SessionCounters<MySqlEvent> counters, TlsContext tlsContext, Carry carry,
            MySqlRecords records) {
        super(counters, records, tlsContext, carry != null);
        this.events = counters.reasons();
        this.connection = connection;
        this.config = config;
        this.normalizer = normalizer;
        this.sink = sink;
        this.records = records;
        boolean mid = connection.midStream() && (carry == null || !carry.afterSslRequest());
        this.commands = new MySqlCommandPhase(records, counters, MID_STREAM_CAPABILITIES);
        int max = config.maxMessageBytes();
        this.client = new MySqlFramer(true, mid, max, KeptBytes.client(config), events,
                new DirectionHandler<>(Direction.CLIENT_TO_SERVER) {
                    @Override
                    public void onFrame(MySqlPacket p) {
                        onClientPacket(p);
                    }

                    @Override
                    public int keep(int firstByte) {
                        return keepClient(firstByte);
                    }
                });
        this.server = new MySqlFramer(false, mid, max, KeptBytes.server(config), events,
                new DirectionHandler<>(Direction.SERVER_TO_CLIENT) {
                    @Override
                    public void onFrame(MySqlPacket p) {
                        onServerPacket(p);
                    }

                    @Override
                    public int keep(int firstByte) {
                        return keepServer(firstByte);
                    }
                });
        framers(client, server);
        this.phase = mid ? Phase.COMMAND : Phase.GREETING;
        this.midStreamStart = mid && carry == null;
        if (mid) {
            commands.commandsMayBeUnseen(); // statements prepared before the capture began
        }
        if (carry != null && carry.afterSslRequest()) {
            // Continues after SSLRequest: the greeting was seen in clear; the full HandshakeResponse41 comes next.
            serverCapabilities = carry.serverCapabilities();
            nextSeq = carry.nextSeq();
            phase = Phase.RESPONSE;
        }
    }

    private int keepClient(int firstByte) {
        if (phase == Phase.AUTH) {
            return 1; // auth data is counted, never read
        }
        return phase == Phase.COMMAND ? MySqlCommandPhase.keepClient(firstByte) : Integer.MAX_VALUE;
    }

    private int keepServer(int firstByte) {
        if (phase == Phase.AUTH && firstByte == MySqlWire.EOF) {
            return AUTH_SWITCH_KEEP_BYTES; // the plugin name; the scramble after it is not read
        }
        if (phase == Phase.AUTH && firstByte != MySqlWire.ERR) {
            return 1; // AuthMoreData, public keys: counted, never read
        }
        return phase == Phase.COMMAND ? commands.keepServer(firstByte) : Integer.MAX_VALUE;
    }

    @Override
    protected MySqlSession decryptedSession(TlsContext context) {
        return new MySqlSession(connection, config, normalizer, sink, counters, context, tlsCarry);
    }

    /** TLS from here: after SSLRequest, or a connection joined mid-stream that is already encrypted. */
    private void startTls(long startTs) {
        tlsCarry = new Carry(phase == Phase.RESPONSE, serverCapabilities, nextSeq);
        startTls(client, startTs);
    }

    /**
     * Before framing: a fresh connection that does not open like MySQL is another service; a connection joined
     * mid-stream whose first bytes are TLS records goes to the TLS layer.
     */
    @Override
    protected boolean screen(Direction direction, byte[] buffer, int offset, int length, long tsMicros) {
        if (phase == Phase.GREETING && greetingFill < greetingHead.length
                && notMySql(direction, buffer, offset, length)) {
            events.increment(MySqlEvent.NOT_MYSQL);
            stop();
            return true;
        }
        if (midStreamStart && TlsProbe.looksLikeTls(buffer, offset, length)) {
            startTls(tsMicros);
            toTls(direction, buffer, offset, length, tsMicros);
            return true;
        }
        midStreamStart = false;
        return false;
    }

    /**
     * A fresh connection must open with the server's greeting: a small packet, sequence 0, protocol 10 or an ERR.
     * A client that speaks first, or anything else, is another service on the port (HTTP, TLS, PostgreSQL…).
     */
    private boolean notMySql(Direction direction, byte[] b, int offset, int length) {
        if (direction == Direction.CLIENT_TO_SERVER) {
            return true;
        }
        int n = Math.min(length, greetingHead.length - greetingFill);
        System.arraycopy(b, offset, greetingHead, greetingFill, n);
        greetingFill += n;
        if (greetingFill < greetingHead.length) {
            return false;
        }
        int len = MySqlWire.int3(greetingHead, 0);
        int first = greetingHead[MySqlWire.HEADER] & 0xff;
        return len > MAX_GREETING_BYTES || greetingHead[3] != 0
                || (first != MySqlWire.HANDSHAKE_V10 && first != MySqlWire.ERR);
    }

    @Override
    protected void trimIdle() {
        reader.release();
        commands.trimIdle();
        if (phase == Phase.COMMAND) {
            login = null; // its record was emitted; only the handshake and auth phases use it
        }
    }

    @Override
    protected void bytesLost(Direction direction) {
        commands.bytesLost(direction == Direction.CLIENT_TO_SERVER);
    }

    @Override
    protected void lostAlignment() {
        commands.flushIncomplete();
        if (phase == Phase.AUTH && login != null) {
            records.login(login, RecordStatus.INCOMPLETE, null);
        }
        if (phase != Phase.COMMAND) {
            if (phase == Phase.GREETING || phase == Phase.RESPONSE) {
                records.joinedLate();
            }
            phase = Phase.COMMAND;
        }
    }

    private void checkSeq(MySqlPacket p) {
        if (p.seq != nextSeq) {
            events.increment(MySqlEvent.SEQUENCE_VIOLATION);
        }
        nextSeq = (p.lastSeq + 1) & 0xff;
    }

    // ---- client -------------------------------------------------------------------------------------------

    private void onClientPacket(MySqlPacket p) {
        switch (phase) {
            case GREETING -> { // a client that speaks first is not a MySQL client
                events.increment(MySqlEvent.NOT_MYSQL);
                stop();
            }
            case RESPONSE -> onHandshakeResponse(p);
            case AUTH -> {
                checkSeq(p);
                login.request(p); // auth data (scrambles, RSA-encrypted or clear passwords): never read
            }
            case COMMAND -> commands.onClient(p, reader);
            default -> { }
        }
    }

    private void onHandshakeResponse(MySqlPacket p) {
        checkSeq(p);
        HandshakeResponse h = HandshakeResponse.decode(reader.reset(p), p.length);
        login = new MySqlRun(null);
        login.request(p);
        if (h == null) {
            events.increment(MySqlEvent.PROTOCOL_VIOLATION_BODY);
            phase = Phase.AUTH;
            return;
        }
        if (h.sslRequest()) {
            login.markDone(); // the TLS record, emitted when the TLS session ends, stands for it
            startTls(login.requestFirstTs());
            return;
        }
        // What both sides support is in effect (MariaDB's extended capabilities sit in bits 32..63 on both sides).
        capabilities = serverCapabilities == 0 ? h.capabilities() : h.capabilities() & serverCapabilities;
        commands.negotiated(capabilities);
        records.identity(h.user(), h.database(), h.program());
        records.identity().client(ClientTools.mysql(h.attributes()), h.attributes());
        records.authMethod(MySqlWire.authPlugin(h.authPlugin(), capabilities));
        phase = Phase.AUTH;
    }

    // ---- server -------------------------------------------------------------------------------------------

    private void onServerPacket(MySqlPacket p) {
        switch (phase) {
            case GREETING -> onGreeting(p);
            case AUTH -> onAuthAnswer(p);
            case COMMAND -> commands.onServer(p, reader);
            case RESPONSE -> events.increment(MySqlEvent.PROTOCOL_VIOLATION_SEQUENCE);
            default -> { }
        }
    }

    private void onGreeting(MySqlPacket p) {
        if (p.first() == MySqlWire.ERR) { // refused before the handshake: too many connections, host blocked
            login = new MySqlRun(null);
            login.requestTimes(p.firstTs, p.firstTs);
            login.response(p);
            loginFailed(p);
            return;
        }
        Handshake h = p.seq == 0 ? Handshake.decode(reader.reset(p)) : null;
        if (h == null) {
            events.increment(MySqlEvent.NOT_MYSQL);
            stop();
            return;
        }
        serverCapabilities = h.capabilities();
        nextSeq = 1;
        phase = Phase.RESPONSE;
    }

    private void onAuthAnswer(MySqlPacket p) {
        checkSeq(p);
        login.response(p);
        switch (p.first()) {
            case MySqlWire.OK -> {
                events.increment(MySqlEvent.LOGINS_OK);
                records.login(login, RecordStatus.OK, null);
                phase = Phase.COMMAND;
                startCompression();
            }
            case MySqlWire.ERR -> loginFailed(p);
            case MySqlWire.EOF -> onAuthSwitch(p); // 0xFE in the auth phase: AuthSwitchRequest
            default -> { } // 0x01 AuthMoreData (caching_sha2 fast/full path): go on
        }
    }

    /** AuthSwitchRequest: from here on the client authenticates with the plugin it names. */
    private void onAuthSwitch(MySqlPacket p) {
        AuthSwitchRequest s = AuthSwitchRequest.decode(reader.reset(p));
        if (s == null) {
            events.increment(MySqlEvent.PROTOCOL_VIOLATION_BODY);
        } else {
            records.authMethod(s.plugin());
        }
    }

    private void loginFailed(MySqlPacket p) {
        Err e = Err.decode(reader.reset(p), MySqlWire.CLIENT_PROTOCOL_41);
        if (e == null) {
            events.increment(MySqlEvent.PROTOCOL_VIOLATION_BODY);
        }
        events.increment(MySqlEvent.LOGINS_FAILED);
        records.login(login, RecordStatus.ERROR,
                e == null ? new ErrorInfo(null, null) : new ErrorInfo(Integer.toString(e.code()), e.message()));
        stop(); // the server closes the connection
    }

    /**
     * Compression starts right after the OK that ends authentication, in both directions. "If both
     * CLIENT_COMPRESS and CLIENT_ZSTD_COMPRESSION_ALGORITHM are set then zlib is used."
     * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_compression.html
     */
    private void startCompression() {
        Decompressor.Algorithm algorithm;
        if ((capabilities & MySqlWire.CLIENT_COMPRESS) != 0) {
            algorithm = Decompressor.Algorithm.ZLIB;
        } else if ((capabilities & MySqlWire.CLIENT_ZSTD_COMPRESSION_ALGORITHM) != 0) {
            algorithm = Decompressor.Algorithm.ZSTD;
        } else {
            return;
        }
        try {
            client.startCompression(algorithm);
            server.startCompression(algorithm);
        } catch (LinkageError e) { // the zstd decoder's classes are missing from a trimmed class path
            events.increment(MySqlEvent.COMPRESSION_UNSUPPORTED);
            stop();
            return;
        }
        events.increment(MySqlEvent.COMPRESSED_SESSIONS);
    }

    @Override
    public void chargeTo(MemoryAccount account) {
        super.chargeTo(account);
        commands.chargeTo(account);
    }
}
