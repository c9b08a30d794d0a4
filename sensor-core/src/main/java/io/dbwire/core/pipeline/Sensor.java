package io.dbwire.core.pipeline;

import io.dbwire.core.config.MemoryConfig;
import io.dbwire.core.config.SensorConfig;
import io.dbwire.core.decap.DecapOutcome;
import io.dbwire.core.decap.Decapsulator;
import io.dbwire.core.decap.DecodedPacket;
import io.dbwire.core.decap.LinkType;
import io.dbwire.core.detect.alert.AlertSink;
import io.dbwire.core.detect.DetectionEngine;
import io.dbwire.core.memory.MemoryBudget;
import io.dbwire.core.memory.MemoryConsumer;
import io.dbwire.core.record.RecordSink;
import io.dbwire.core.record.TransactionRecord;
import io.dbwire.core.tcp.TcpTracker;
import io.dbwire.core.tls.KeyLogOutcome;
import io.dbwire.core.tls.KeyLogStore;
import io.dbwire.core.tls.TlsContext;
import io.dbwire.core.util.ReasonCounters;

/**
 * The engine, frame in, records and alerts out: decap → tcp → protocol → detect. Single-threaded: one thread owns
 * a Sensor and every connection in it. Packet time comes only from the frames' timestamps.
 */
public final class Sensor {
    /** Detection windows are advanced at most this often from packets alone (records advance them too). */
    private static final long ADVANCE_STEP_MICROS = 1_000_000L;

    private final Decapsulator decap;
    private final DecodedPacket packet = new DecodedPacket();
    private final TcpTracker tcp;
    private final ProtocolDispatcher protocols;
    /** Null when detection runs elsewhere ({@link #withoutDetection}). */
    private final DetectionStage detection;
    /** This thread's slice of the memory budget; shared with {@link #detection} when that runs here. */
    private final MemoryBudget memory;

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
        this(config, recordSink, alertSink, keys, MemoryBudget.of(config.memory().budgetBytes()));
    }

    /** One thread does everything: the whole budget, detection's entities included. */
    private Sensor(SensorConfig config, RecordSink recordSink, AlertSink alertSink, KeyLogStore keys,
            MemoryBudget memory) {
        this(config, recordSink, new DetectionStage(config.detection(), alertSink, memory), keys, 0, 1, memory);
    }

    /**
     * A sensor for one shard of the connections: records go to {@code recordSink} only, and whoever owns the
     * single {@link DetectionStage} feeds them to it (detection needs every record of a server in one place).
     */
    public static Sensor withoutDetection(SensorConfig config, RecordSink recordSink, KeyLogStore keys, int shard,
            int shardCount) {
        return new Sensor(config, recordSink, null, keys, shard, shardCount,
                MemoryBudget.of(config.memory().shardSlice(shardCount)));
    }

    private Sensor(SensorConfig config, RecordSink recordSink, DetectionStage detection, KeyLogStore keys,
            int shard, int shardCount, MemoryBudget memory) {
        this.detection = detection;
        // What is not shed with the flows may not crowd them out (see MemoryBudget#cap).
        this.memory = memory.cap(MemoryConsumer.FRAGMENTS, MemoryConfig.FRAGMENT_SHARE)
                .cap(MemoryConsumer.DETECTION_ENTITIES, MemoryConfig.DETECTION_SHARE);
        RecordSink fanOut = record -> deliver(record, recordSink);
        this.decap = new Decapsulator(config.decap(), io.dbwire.core.decap.FragmentLimits.defaults(), memory);
        this.protocols = new ProtocolDispatcher(config.protocols(), fanOut, keys);
        this.tcp = new TcpTracker(config.tcp(), protocols, shard, shardCount, memory);
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

    /** Connections in the flow table now (never above {@code tcp.max_flows}): for bounds checks and gauges. */
    public int activeFlows() {
        return tcp.activeFlows();
    }

    /**
     * Out-of-order and cross-direction held bytes now across all flows, against {@code tcp.max_buffered_bytes_total}
     * (a segment held for the other direction may stand above it until its flow's next packet).
     */
    public long heldBytes() {
        return tcp.bufferedBytes();
    }

    public SensorStats stats() {
        TlsContext tls = protocols.tls();
        CounterReport report = new CounterReport()
                .add(decap.counters())
                .add(tcp.counters())
                .add(protocols.postgresCounters())
                .add(protocols.mysqlCounters())
                .add(protocols.sniffOutcomes())
                .add(tls.sessions())
                .add(tls.decryptOutcomes())
                .add(tls.violations())
                .add(keyLog(tls))
                .addProblem("protocol.unsupported_connections", protocols.unsupportedConnections());
        if (detection == null) { // else the detection stage reports the shared budget, once
            report.add(memory.shedCounts());
        }
        SensorStats own = new SensorStats(packets, bytes, tcp.flowsOpened(), records, 0, report.problems(),
                report.counters(), detection == null ? memory.report() : null);
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
