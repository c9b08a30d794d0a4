package io.dbwire.core.pipeline;

import io.dbwire.core.config.SensorConfig;
import io.dbwire.core.decap.DecapOutcome;
import io.dbwire.core.decap.Decapsulator;
import io.dbwire.core.decap.DecodedPacket;
import io.dbwire.core.decap.LinkType;
import io.dbwire.core.detect.AlertSink;
import io.dbwire.core.detect.DetectionEngine;
import io.dbwire.core.protocol.mysql.MySqlEvent;
import io.dbwire.core.protocol.SniffOutcome;
import io.dbwire.core.protocol.postgres.PgEvent;
import io.dbwire.core.record.RecordSink;
import io.dbwire.core.record.TransactionRecord;
import io.dbwire.core.tcp.TcpEvent;
import io.dbwire.core.tcp.TcpTracker;
import io.dbwire.core.tls.DecryptOutcome;
import io.dbwire.core.tls.KeyLogOutcome;
import io.dbwire.core.tls.KeyLogStore;
import io.dbwire.core.tls.TlsContext;
import io.dbwire.core.tls.TlsSessionEvent;
import io.dbwire.core.tls.TlsViolation;
import io.dbwire.core.util.ReasonCounters;
import java.util.EnumSet;
import java.util.Set;

/**
 * The engine, frame in, records and alerts out: decap → tcp → protocol → detect. Single-threaded: one thread owns
 * a Sensor and every connection in it. Packet time comes only from the frames' timestamps.
 */
public final class Sensor {
    /** Detection windows are advanced at most this often from packets alone (records advance them too). */
    private static final long ADVANCE_STEP_MICROS = 1_000_000L;

    private static final Set<DecapOutcome> DECAP_VOLUME = EnumSet.of(DecapOutcome.TCP, DecapOutcome.TCP_REASSEMBLED,
            DecapOutcome.IP_FRAGMENT, DecapOutcome.FRAGMENT_DUPLICATE);
    private static final Set<TcpEvent> TCP_VOLUME = EnumSet.of(TcpEvent.SEGMENTS, TcpEvent.OUT_OF_ORDER,
            TcpEvent.HELD_FOR_PEER, TcpEvent.RETRANSMISSION, TcpEvent.PARTIAL_OVERLAP, TcpEvent.FIN_CLOSED,
            TcpEvent.RST_CLOSED, TcpEvent.IDLE_CLOSED, TcpEvent.PORT_REUSE, TcpEvent.END_OF_INPUT_CLOSED,
            TcpEvent.AFTER_CLOSE, TcpEvent.NOT_DATABASE, TcpEvent.DECLINED_BY_FACTORY, TcpEvent.UNTRACKED_CONTROL);
    private static final Set<PgEvent> POSTGRES_VOLUME = EnumSet.of(PgEvent.MESSAGES_PARSED, PgEvent.TLS_SESSIONS,
            PgEvent.GSS_ENCRYPTED_SESSIONS, PgEvent.DATA_ROWS, PgEvent.COPY_DATA_MESSAGES, PgEvent.LOGINS_OK,
            PgEvent.LOGINS_FAILED, PgEvent.CANCEL_REQUESTS, PgEvent.RECORDS_EMITTED, PgEvent.FUNCTION_CALLS,
            PgEvent.CANCEL_MATCHED);
    private static final Set<SniffOutcome> DETECTED_VOLUME = EnumSet.allOf(SniffOutcome.class);
    private static final Set<MySqlEvent> MYSQL_VOLUME = EnumSet.of(MySqlEvent.PACKETS_PARSED,
            MySqlEvent.CONTINUATION_PACKETS, MySqlEvent.TLS_SESSIONS, MySqlEvent.COMPRESSED_SESSIONS,
            MySqlEvent.COMPRESSED_PACKETS, MySqlEvent.PROGRESS_REPORTS, MySqlEvent.METADATA_SKIPPED, MySqlEvent.ROWS,
            MySqlEvent.LOCAL_INFILE_BYTES,
            MySqlEvent.REPLICATION_COMMANDS, MySqlEvent.LOGINS_OK, MySqlEvent.LOGINS_FAILED,
            MySqlEvent.RECORDS_EMITTED);
    // Without keys every protected record is NO_KEYS, and a session picked up mid-stream has no ClientHello: both
    // are the normal metadata-only case. Records that fail to decrypt or are lost are problems.
    private static final Set<DecryptOutcome> DECRYPT_VOLUME = EnumSet.of(DecryptOutcome.DECRYPTED,
            DecryptOutcome.NO_KEYS, DecryptOutcome.NO_CLIENT_HELLO, DecryptOutcome.QUEUED_FOR_KEYS);
    private static final Set<TlsSessionEvent> TLS_SESSION_VOLUME = EnumSet.allOf(TlsSessionEvent.class);
    private static final Set<KeyLogOutcome> KEYLOG_VOLUME = EnumSet.of(KeyLogOutcome.ADDED, KeyLogOutcome.IGNORED,
            KeyLogOutcome.UNUSED_LABEL, KeyLogOutcome.EXPIRED, KeyLogOutcome.LOOKUP_HIT, KeyLogOutcome.LOOKUP_MISS);

    private final Decapsulator decap;
    private final DecodedPacket packet = new DecodedPacket();
    private final TcpTracker tcp;
    private final ProtocolDispatcher protocols;
    /** Null when detection runs elsewhere ({@link #withoutDetection}). */
    private final DetectionStage detection;

    private long packets;
    private long bytes;
    private long records;
    private long lastMicros = Long.MIN_VALUE;
    private long lastAdvanceMicros = Long.MIN_VALUE;

    public Sensor(SensorConfig config, RecordSink recordSink, AlertSink alertSink) {
        this(config, recordSink, alertSink, null);
    }

    /**
     * @param keys session secrets (NSS key log lines) for decrypting TLS; null reads TLS sessions for metadata
     *             only. The store is thread-safe: another thread may add lines while this engine runs.
     */
    public Sensor(SensorConfig config, RecordSink recordSink, AlertSink alertSink, KeyLogStore keys) {
        this(config, recordSink, new DetectionStage(config.detection(), alertSink), keys);
    }

    /**
     * A sensor for one shard of the connections: records go to {@code recordSink} only, and whoever owns the
     * single {@link DetectionStage} feeds them to it (detection needs every record of a server in one place).
     */
    public static Sensor withoutDetection(SensorConfig config, RecordSink recordSink, KeyLogStore keys, int shard,
            int shardCount) {
        return new Sensor(config, recordSink, null, keys, shard, shardCount);
    }

    private Sensor(SensorConfig config, RecordSink recordSink, DetectionStage detection, KeyLogStore keys) {
        this(config, recordSink, detection, keys, 0, 1);
    }

    private Sensor(SensorConfig config, RecordSink recordSink, DetectionStage detection, KeyLogStore keys,
            int shard, int shardCount) {
        this.detection = detection;
        RecordSink fanOut = record -> deliver(record, recordSink);
        this.decap = new Decapsulator(config.decap());
        this.protocols = new ProtocolDispatcher(config.protocols(), fanOut, keys);
        this.tcp = new TcpTracker(config.tcp(), protocols, shard, shardCount);
    }

    /**
     * The detection stage, for the daemon's state snapshots ({@link DetectionEngine#snapshot()} and
     * {@link DetectionEngine#restore}). Same threading rule as the sensor: only its owning thread may touch it.
     */
    public DetectionEngine detection() {
        return detection == null ? null : detection.engine();
    }

    /** The decap layer's outcome counters (read by replay to say when a file yielded nothing). */
    public ReasonCounters<DecapOutcome> decapCounters() {
        return decap.counters();
    }

    /** Feeds one captured frame; {@code tsMicros} is its packet time. The array is not kept after the call. */
    public void onFrame(byte[] frame, int offset, int length, LinkType linkType, long tsMicros) {
        packets++;
        bytes += length;
        lastMicros = Math.max(lastMicros, tsMicros);
        if (decap.decode(frame, offset, length, linkType, tsMicros, packet)) {
            tcp.onPacket(packet);
        }
        advanceDetection(tsMicros);
    }

    /**
     * Packet time moved on without traffic (the daemon calls this when the wire is quiet), so that detection
     * windows close and alerts are not held back until the next packet.
     */
    public void onIdle(long nowMicros) {
        lastMicros = Math.max(lastMicros, nowMicros);
        advanceDetection(nowMicros);
    }

    /** End of input: closes every connection (flushing incomplete statements) and closes detection windows. */
    public void finish() {
        if (lastMicros != Long.MIN_VALUE) {
            tcp.closeAll(lastMicros);
        }
        if (detection != null) {
            detection.finish();
        }
    }

    public SensorStats stats() {
        TlsContext tls = protocols.tls();
        CounterReport report = new CounterReport()
                .add("decap", decap.counters(), DECAP_VOLUME)
                .add("tcp", tcp.counters(), TCP_VOLUME)
                .add("postgres", protocols.postgresCounters(), POSTGRES_VOLUME)
                .add("mysql", protocols.mysqlCounters(), MYSQL_VOLUME)
                .add("protocol", protocols.sniffOutcomes(), DETECTED_VOLUME)
                .add("tls", tls.sessions(), TLS_SESSION_VOLUME)
                .add("tls.decrypt", tls.decryptOutcomes(), DECRYPT_VOLUME)
                .add("tls.violation", tls.violations(), EnumSet.noneOf(TlsViolation.class))
                .add("tls.keylog", keyLog(tls), KEYLOG_VOLUME)
                .addProblem("protocol.unsupported_connections", protocols.unsupportedConnections());
        SensorStats own = new SensorStats(packets, bytes, tcp.flowsOpened(), records, 0, report.problems(),
                report.counters());
        return detection == null ? own : SensorStats.sum(own, detection.stats());
    }

    private static ReasonCounters<KeyLogOutcome> keyLog(TlsContext tls) {
        ReasonCounters<KeyLogOutcome> out = new ReasonCounters<>(KeyLogOutcome.class);
        tls.keyLogCounters().forEach(out::add);
        return out;
    }

    private void deliver(TransactionRecord record, RecordSink recordSink) {
        records++;
        recordSink.accept(record);
        if (detection != null) {
            detection.accept(record);
        }
    }

    private void advanceDetection(long tsMicros) {
        if (detection == null) {
            return;
        }
        if (lastAdvanceMicros == Long.MIN_VALUE || tsMicros - lastAdvanceMicros >= ADVANCE_STEP_MICROS) {
            lastAdvanceMicros = tsMicros;
            detection.advanceTo(tsMicros);
        }
    }
}
