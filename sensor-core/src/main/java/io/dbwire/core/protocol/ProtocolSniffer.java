package io.dbwire.core.protocol;

import io.dbwire.core.memory.MemoryAccount;
import io.dbwire.core.memory.MemoryCharged;
import io.dbwire.core.record.DatabaseProtocol;
import io.dbwire.core.tcp.CloseReason;
import io.dbwire.core.tcp.Direction;
import io.dbwire.core.tcp.StreamListener;
import io.dbwire.core.util.ReasonCounters;
import java.util.function.Function;

/**
 * Recognises PostgreSQL and MySQL by their first bytes on a connection whose server port is not configured for
 * either (a PostgreSQL on 5433, a MariaDB on 3307), then hands the connection to the real parser, replaying the
 * few bytes it held. Only connections seen from their SYN get here, so the first bytes are the protocol's first
 * message:
 *
 * <pre>
 * PostgreSQL, client first:  int32 length (8..10000) | int32 code: 0x0003xxxx (protocol 3.x), 80877103 (SSL),
 *                            80877104 (GSSENC), 80877102 (cancel)
 * MySQL, server first:       int24 length (LE) | seq 0 | protocol version 10 | server version, NUL ...
 * </pre>
 *
 * https://www.postgresql.org/docs/current/protocol-message-formats.html,
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_handshake_v10.html
 */
public final class ProtocolSniffer implements StreamListener, MemoryCharged {
    /** Bytes held per direction while deciding; the first message of either protocol is decided within them. */
    static final int PROBE_BYTES = 8;

    private static final int PG_MIN_STARTUP = 8;
    private static final int PG_MAX_STARTUP = 10_000;
    private static final int PG_SSL_REQUEST = 80877103;
    private static final int PG_GSSENC_REQUEST = 80877104;
    private static final int PG_CANCEL_REQUEST = 80877102;
    private static final int MYSQL_HANDSHAKE_V10 = 10;
    private static final int MYSQL_MIN_HANDSHAKE = 40;
    private static final int MYSQL_MAX_HANDSHAKE = 1024;

    private final Function<DatabaseProtocol, StreamListener> parsers;
    private final ReasonCounters<SniffOutcome> outcomes;
    private final Probe client = new Probe();
    private final Probe server = new Probe();
    private StreamListener target;
    private MemoryAccount memory = MemoryAccount.NONE;
    private boolean ignored;

    /**
     * @param parsers  opens the parser for the detected protocol
     * @param outcomes counted once per connection
     */
    public ProtocolSniffer(Function<DatabaseProtocol, StreamListener> parsers, ReasonCounters<SniffOutcome> outcomes) {
        this.parsers = parsers;
        this.outcomes = outcomes;
    }

    @Override
    public void onData(Direction direction, byte[] buffer, int offset, int length, long tsMicros) {
        if (target != null) {
            target.onData(direction, buffer, offset, length, tsMicros);
            return;
        }
        if (ignored) {
            return;
        }
        Probe probe = direction == Direction.CLIENT_TO_SERVER ? client : server;
        int taken = probe.take(buffer, offset, length, tsMicros);
        DatabaseProtocol protocol = decide();
        if (protocol != null) {
            start(protocol);
            if (taken < length) {
                target.onData(direction, buffer, offset + taken, length - taken, tsMicros);
            }
        } else if (client.full() || server.full()) {
            outcomes.increment(SniffOutcome.UNKNOWN);
            ignored = true;
        }
    }

    @Override
    public void onGap(Direction direction, long missingBytes, long tsMicros) {
        if (target != null) {
            target.onGap(direction, missingBytes, tsMicros);
        } else if (!ignored) {
            // The first message itself is incomplete: nothing reliable to decide on.
            outcomes.increment(SniffOutcome.UNKNOWN);
            ignored = true;
        }
    }

    @Override
    public void onClose(CloseReason reason, long tsMicros) {
        if (target != null) {
            target.onClose(reason, tsMicros);
        } else if (!ignored) {
            outcomes.increment(SniffOutcome.UNDECIDED);
        }
    }

    private DatabaseProtocol decide() {
        if (client.length >= PG_MIN_STARTUP && server.length == 0 && looksLikePostgresStartup(client.bytes)) {
            return DatabaseProtocol.POSTGRESQL;
        }
        if (server.length >= 5 && client.length == 0 && looksLikeMySqlHandshake(server.bytes)) {
            return DatabaseProtocol.MYSQL;
        }
        return null;
    }

    private static boolean looksLikePostgresStartup(byte[] b) {
        int length = readInt(b, 0);
        int code = readInt(b, 4);
        boolean knownCode = (code >>> 16) == 3 || code == PG_SSL_REQUEST || code == PG_GSSENC_REQUEST
                || code == PG_CANCEL_REQUEST;
        return knownCode && length >= PG_MIN_STARTUP && length <= PG_MAX_STARTUP;
    }

    private static boolean looksLikeMySqlHandshake(byte[] b) {
        int length = (b[0] & 0xFF) | (b[1] & 0xFF) << 8 | (b[2] & 0xFF) << 16;
        return b[3] == 0 && b[4] == MYSQL_HANDSHAKE_V10 && length >= MYSQL_MIN_HANDSHAKE
                && length <= MYSQL_MAX_HANDSHAKE;
    }

    private void start(DatabaseProtocol protocol) {
        outcomes.increment(protocol == DatabaseProtocol.POSTGRESQL ? SniffOutcome.POSTGRESQL : SniffOutcome.MYSQL);
        target = parsers.apply(protocol);
        if (target instanceof MemoryCharged) {
            ((MemoryCharged) target).chargeTo(memory);
        }
        Probe first = protocol == DatabaseProtocol.POSTGRESQL ? client : server;
        Direction direction = first == client ? Direction.CLIENT_TO_SERVER : Direction.SERVER_TO_CLIENT;
        target.onData(direction, first.bytes, 0, first.length, first.firstMicros);
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }

    /** The first bytes of one direction, copied because the TCP layer's buffer is only valid during a call. */
    @Override
    public void onQuiet() {
        if (target != null) {
            target.onQuiet();
        }
    }

    private static final class Probe {
        final byte[] bytes = new byte[PROBE_BYTES];
        int length;
        long firstMicros;

        /** Copies what fits; returns how many bytes of the chunk were taken. */
        int take(byte[] buffer, int offset, int available, long tsMicros) {
            if (length == 0) {
                firstMicros = tsMicros;
            }
            int n = Math.min(available, PROBE_BYTES - length);
            System.arraycopy(buffer, offset, bytes, length, n);
            length += n;
            return n;
        }

        boolean full() {
            return length == PROBE_BYTES;
        }
    }

    @Override
    public void chargeTo(MemoryAccount account) {
        this.memory = account;
    }
}
