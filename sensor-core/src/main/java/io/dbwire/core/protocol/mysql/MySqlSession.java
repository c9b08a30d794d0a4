package io.dbwire.core.protocol.mysql;

import io.dbwire.core.config.ProtocolConfig;
import io.dbwire.core.protocol.mysql.ClientPacket.HandshakeResponse;
import io.dbwire.core.protocol.mysql.ServerPacket.Err;
import io.dbwire.core.protocol.mysql.ServerPacket.Handshake;
import io.dbwire.core.protocol.sql.StatementNormalizer;
import io.dbwire.core.record.ErrorInfo;
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
 * Passive parser of one MySQL/MariaDB connection: frames both byte streams, follows the connection phase
 * (Handshake v10, SSLRequest, HandshakeResponse41, auth switch and more-data exchanges, the OK/ERR outcome) and
 * hands the command phase to {@link CommandPhase}. Emits LOGIN, STATEMENT and TLS records (docs/records.md).
 * Never throws on input: every oddity is a counted {@link MySqlEvent}.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase.html
 *
 * <p>After the client's SSLRequest (or TLS records met mid-stream) the rest of both directions goes to a
 * {@link io.dbwire.core.tls.TlsDecryptingListener} whose downstream is a second MySqlSession that continues with
 * the full HandshakeResponse41 (it inherits the server's capabilities and the sequence id from the greeting seen
 * in clear) and marks its records {@code tls} and {@code decrypted}. One TLS record with the session summary is
 * emitted when the TLS session ends (docs/tls.md).
 */
public final class MySqlSession implements StreamListener {
    static final int SERVER_KEEP_BYTES = 16 * 1024;
    static final int CLIENT_KEEP_MIN_BYTES = 256 * 1024;
    /** A Handshake v10 is about 80 bytes; anything this large is not a greeting. */
    static final int MAX_GREETING_BYTES = 4096;
    /** Capabilities assumed for a connection picked up mid-stream (what every 4.1+ client sets). */
    static final long MID_STREAM_CAPABILITIES = MySqlWire.CLIENT_PROTOCOL_41 | MySqlWire.CLIENT_SECURE_CONNECTION;

    enum Phase { GREETING, RESPONSE, AUTH, COMMAND, TLS, DONE }

    private final ReasonCounters<MySqlEvent> counters;
    private final MySqlRecords records;
    private final CommandPhase commands;
    private final MySqlFramer client;
    private final MySqlFramer server;
    private final MySqlReader reader = new MySqlReader();

    private Phase phase;
    private boolean closed;
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
    /** Shared TLS state of the engine; null until needed when the session was built without one. */
    private TlsContext tlsContext;
    /** In phase TLS: where both directions' bytes go, and the clear-text session reading the decrypted ones. */
    private StreamListener tls;
    private MySqlSession decrypted;
    private long tlsStartTs;
    /** This session reads the decrypted bytes of an outer session's TLS stream. */
    private final boolean insideTls;
    /** Inside TLS: plaintext arrived already; and whether stretches were lost before it (see {@link #onGap}). */
    private boolean plaintextSeen;
    private boolean lostBeforePlaintext;

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

        this.counters = counters;
        this.connection = connection;
        this.config = config;
        this.normalizer = normalizer;
        this.sink = sink;
        this.tlsContext = tlsContext;
        this.insideTls = carry != null;
        this.records = new MySqlRecords(connection, config, normalizer, sink, counters, insideTls);
        boolean mid = connection.midStream() && (carry == null || !carry.afterSslRequest());
        this.commands = new CommandPhase(records, counters, MID_STREAM_CAPABILITIES);
        int max = config.maxMessageBytes();
        int clientKeep = (int) Math.min(Math.max(0, max),
                Math.max(CLIENT_KEEP_MIN_BYTES, 4L * Math.max(0, config.maxStatementBytes())));
        this.client = new MySqlFramer(true, mid, max, clientKeep, counters, new MySqlFramer.Handler() {
            @Override
            public void onPacket(MySqlPacket packet) {
                onClientPacket(packet);
            }

            @Override
            public int keep(int firstByte) {
                if (phase == Phase.AUTH) {
                    return 1; // auth data is counted, never read
                }
                return phase == Phase.COMMAND ? CommandPhase.keepClient(firstByte) : Integer.MAX_VALUE;
            }

            @Override
            public void onDesync() {
                lostAlignment();
            }

            @Override
            public void onTail(byte[] buffer, int offset, int length, long tsMicros) {
                if (tls != null) {
                    tls.onData(Direction.CLIENT_TO_SERVER, buffer, offset, length, tsMicros);
                }
            }
        });
        this.server = new MySqlFramer(false, mid, max, Math.min(SERVER_KEEP_BYTES, Math.max(64, max)), counters,
                new MySqlFramer.Handler() {
                    @Override
                    public void onPacket(MySqlPacket packet) {
                        onServerPacket(packet);
                    }

                    @Override
                    public int keep(int firstByte) {
                        if (phase == Phase.AUTH && firstByte != MySqlWire.ERR) {
                            return 1; // auth switch data, public keys: counted, never read
                        }
                        return phase == Phase.COMMAND ? commands.keepServer(firstByte) : Integer.MAX_VALUE;
                    }

                    @Override
                    public void onDesync() {
                        lostAlignment();
                    }
                });
        this.phase = mid ? Phase.COMMAND : Phase.GREETING;
        this.midStreamStart = mid && carry == null;
        if (carry != null && carry.afterSslRequest()) {
            // Continues after SSLRequest: the greeting was seen in clear; the full HandshakeResponse41 comes next.
            serverCapabilities = carry.serverCapabilities();
            nextSeq = carry.nextSeq();
            phase = Phase.RESPONSE;
        }
    }

    /** A connection joined mid-stream that is already encrypted: the stream goes to the TLS layer. */
    private void onEncryptedMidStream(long tsMicros) {
        startTls(tsMicros);
    }

    /**
     * From here both directions are TLS records. Bytes left in the current client delivery reach the TLS layer
     * through the framer's tail ({@link #clientTail}).
     */
    private void startTls(long startTs) {
        counters.increment(MySqlEvent.TLS_SESSIONS);
        Carry carry = new Carry(phase == Phase.RESPONSE, serverCapabilities, nextSeq);
        stop();
        if (insideTls) {
            return; // TLS inside decrypted TLS is no MySQL protocol: nothing more to read
        }
        if (tlsContext == null) {
            tlsContext = TlsContext.metadataOnly();
        }
        tlsStartTs = startTs;
        decrypted = new MySqlSession(connection, config, normalizer, sink, counters, tlsContext, carry);
        tls = tlsContext.open(decrypted, this::onTlsSummary);
        phase = Phase.TLS;
        client.handOff();
    }

    private void onTlsSummary(TlsSessionSummary summary) {
        records.tlsSession(tlsStartTs, summary, decrypted.records);
    }

    @Override
    public void onData(Direction direction, byte[] buffer, int offset, int length, long tsMicros) {
        if (closed || phase == Phase.DONE || buffer == null || length <= 0 || offset < 0
                || offset > buffer.length - length) {
            return;
        }
        if (phase == Phase.TLS) {
            tls.onData(direction, buffer, offset, length, tsMicros);
            return;
        }
        if (insideTls && !plaintextSeen) {
            plaintextSeen = true;
            if (lostBeforePlaintext) { // keys came late or part of the session was lost: we join mid-stream
                counters.increment(MySqlEvent.GAPS);
                client.gap();
                server.gap();
                lostAlignment();
            }
        }
        if (phase == Phase.GREETING && greetingFill < greetingHead.length
                && notMySql(direction, buffer, offset, length)) {
            counters.increment(MySqlEvent.NOT_MYSQL);
            stop();
            return;
        }
        if (midStreamStart && TlsProbe.looksLikeTls(buffer, offset, length)) {
            onEncryptedMidStream(tsMicros);
            tls.onData(direction, buffer, offset, length, tsMicros);
            return;
        }
        midStreamStart = false;
        try {
            framer(direction == Direction.CLIENT_TO_SERVER ? Direction.SERVER_TO_CLIENT : Direction.CLIENT_TO_SERVER)
                    .exchangeBoundary();
            framer(direction).onData(buffer, offset, length, tsMicros);
        } catch (RuntimeException e) {
            counters.increment(MySqlEvent.INTERNAL_ERROR);
            framer(direction).gap();
            lostAlignment();
        }
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
    public void onGap(Direction direction, long missingBytes, long tsMicros) {
        if (closed || phase == Phase.DONE) {
            return;
        }
        if (phase == Phase.TLS) {
            tls.onGap(direction, missingBytes, tsMicros);
            return;
        }
        if (insideTls && !plaintextSeen) {
            // Without keys every record is lost plaintext: not a problem of this parser unless plaintext follows.
            lostBeforePlaintext = true;
            return;
        }
        counters.increment(MySqlEvent.GAPS);
        framer(direction).gap();
        lostAlignment();
    }

    @Override
    public void onClose(CloseReason reason, long tsMicros) {
        if (closed) {
            return;
        }
        closed = true;
        client.stop();
        server.stop();
        if (phase == Phase.TLS) {
            phase = Phase.DONE;
            tls.onClose(reason, tsMicros); // closes the decrypted session, then delivers the summary
            return;
        }
        if (phase != Phase.DONE) {
            lostAlignment();
        }
        phase = Phase.DONE;
    }

    private void lostAlignment() {
        if (phase == Phase.DONE || phase == Phase.TLS) {
            return;
        }
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

    private MySqlFramer framer(Direction d) {
        return d == Direction.CLIENT_TO_SERVER ? client : server;
    }

    private void stop() {
        phase = Phase.DONE;
        client.stop();
        server.stop();
    }

    private void checkSeq(MySqlPacket p) {
        if (p.seq != nextSeq) {
            counters.increment(MySqlEvent.SEQUENCE_VIOLATION);
        }
        nextSeq = (p.lastSeq + 1) & 0xff;
    }

    // ---- client -------------------------------------------------------------------------------------------

    private void onClientPacket(MySqlPacket p) {
        try {
            switch (phase) {
                case GREETING -> { // a client that speaks first is not a MySQL client
                    counters.increment(MySqlEvent.NOT_MYSQL);
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
        } catch (RuntimeException e) {
            counters.increment(MySqlEvent.INTERNAL_ERROR);
        }
    }

    private void onHandshakeResponse(MySqlPacket p) {
        checkSeq(p);
        HandshakeResponse h = HandshakeResponse.decode(reader.reset(p), p.length);
        login = new MySqlRun(null);
        login.request(p);
        if (h == null) {
            counters.increment(MySqlEvent.PROTOCOL_VIOLATION_BODY);
            phase = Phase.AUTH;
            return;
        }
        if (h.sslRequest()) {
            login.done = true; // the TLS record, emitted when the TLS session ends, stands for it
            startTls(login.requestFirstTs);
            return;
        }
        // What both sides support is in effect (MariaDB's extended capabilities sit in bits 32..63 on both sides).
        capabilities = serverCapabilities == 0 ? h.capabilities() : h.capabilities() & serverCapabilities;
        commands.capabilities = capabilities;
        records.identity(h.user(), h.database(), h.program());
        records.authMethod(h.authPlugin());
        phase = Phase.AUTH;
    }

    // ---- server -------------------------------------------------------------------------------------------

    private void onServerPacket(MySqlPacket p) {
        try {
            switch (phase) {
                case GREETING -> onGreeting(p);
                case AUTH -> onAuthAnswer(p);
                case COMMAND -> commands.onServer(p, reader);
                case RESPONSE -> counters.increment(MySqlEvent.PROTOCOL_VIOLATION_SEQUENCE);
                default -> { }
            }
        } catch (RuntimeException e) {
            counters.increment(MySqlEvent.INTERNAL_ERROR);
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
            counters.increment(MySqlEvent.NOT_MYSQL);
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
                counters.increment(MySqlEvent.LOGINS_OK);
                records.login(login, RecordStatus.OK, null);
                phase = Phase.COMMAND;
                startCompression();
            }
            case MySqlWire.ERR -> loginFailed(p);
            case MySqlWire.EOF -> onAuthSwitch(p); // 0xFE in the auth phase: AuthSwitchRequest
            default -> { } // 0x01 AuthMoreData (caching_sha2 fast/full path): go on
        }
    }

    /** AuthSwitchRequest: 0xFE, plugin name NUL-terminated, plugin data (skipped: a scramble, never kept). */
    private void onAuthSwitch(MySqlPacket p) {
        MySqlReader r = reader.reset(p);
        r.int1();
        String plugin = r.nulString();
        if (!r.failed() && plugin != null && !plugin.isEmpty()) {
            records.authMethod(plugin);
        }
    }

    private void loginFailed(MySqlPacket p) {
        Err e = Err.decode(reader.reset(p), MySqlWire.CLIENT_PROTOCOL_41);
        if (e == null) {
            counters.increment(MySqlEvent.PROTOCOL_VIOLATION_BODY);
        }
        counters.increment(MySqlEvent.LOGINS_FAILED);
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
            counters.increment(MySqlEvent.COMPRESSION_UNSUPPORTED);
            stop();
            return;
        }
        counters.increment(MySqlEvent.COMPRESSED_SESSIONS);
    }
}
