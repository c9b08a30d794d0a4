package io.dbwire.daemon.central;

import io.dbwire.core.config.DetectionConfig;
import io.dbwire.core.detect.DetectionEngine;
import io.dbwire.core.detect.alert.Alert;
import io.dbwire.core.detect.alert.AlertSink;
import io.dbwire.core.detect.state.DetectionSnapshot;
import io.dbwire.core.record.TransactionRecord;

/**
 * Detection for one Kafka partition: its own {@link DetectionEngine} (records are keyed by server, so every
 * entity's records are in one partition and its baselines live here only), the records held for packet-time order,
 * and the offsets that may be committed. Owned by the consumer thread.
 */
final class PartitionDetector {
    private final DetectionEngine engine;
    private final HeldRecords held;
    private final AlertSink out;
    private final ConnectionOrigins origins;
    private final SensorSightings sightings;
    private final CentralStats stats;
    private final long windowMicros;
    /** Offset after the last record read; -1 before the first. */
    private long nextOffset = -1;
    /** Where reading started: committed when nothing was read yet. */
    private long startOffset = -1;
    /** Alerts raised by records below this offset were written before (a re-read after takeover): not again. */
    private long alertedBelow = -1;
    /** Offset of the record detection is working on, for {@link #alertedBelow}. */
    private long feeding = -1;
    private long lastRecordNanos;

    PartitionDetector(DetectionConfig config, AlertSink out, ConnectionOrigins origins, long windowMicros,
            int maxHeld, CentralStats stats) {
        this.engine = new DetectionEngine(config, this::gate);
        this.origins = origins;
        this.sightings = new SensorSightings(config.maxEntities());
        this.held = new HeldRecords(windowMicros, maxHeld);
        this.out = out;
        this.stats = stats;
        this.windowMicros = windowMicros;
    }

    /** Before the first record: null when restored, else why not. */
    String restore(DetectionSnapshot snapshot) {
        return engine.restore(snapshot);
    }

    /** Reading starts at {@code offset}; records below {@code alertedBelow} were alerted on by a previous owner. */
    void startAt(long offset, long alertedBelow) {
        this.startOffset = offset;
        this.alertedBelow = alertedBelow;
    }

    void offer(TransactionRecord r, long offset, long nowNanos) {
        long before = held.releasedEarly();
        nextOffset = offset + 1;
        lastRecordNanos = nowNanos;
        held.add(r, offset, this::feed);
        stats.recordsReleasedEarly.addAndGet(held.releasedEarly() - before);
    }

    /** A record that is not for detection (unreadable, or of a detecting sensor): only its offset counts. */
    void pass(long offset, long nowNanos) {
        nextOffset = offset + 1; // held records still bound the commit (committable)
        lastRecordNanos = nowNanos;
    }

    /**
     * Nothing arrived for {@code idleNanos}: the held records go to detection, and packet time moves on to the wall
     * clock less the reorder window (sensors in {@code run} stamp packets on receipt), so windows close on a quiet
     * partition as they do in a sensor.
     */
    void idle(long nowNanos, long idleNanos, long wallMicros) {
        if (nextOffset < 0 || nowNanos - lastRecordNanos < idleNanos) {
            return;
        }
        held.releaseAll(this::feed);
        engine.advanceTo(wallMicros - windowMicros);
    }

    /** The offset up to which this partition may be committed (the first not fully handled), or -1. */
    long committable() {
        long min = held.minOffset();
        if (min >= 0) {
            return min;
        }
        return nextOffset >= 0 ? nextOffset : startOffset;
    }

    /** Every held record to detection, then the engine's state: for a snapshot at {@link #committable()}. */
    DetectionSnapshot snapshot() {
        held.releaseAll(this::feed);
        return engine.snapshot();
    }

    /** The partition leaves this instance: held records go to detection and pending follow-ups are emitted. */
    void finish() {
        held.releaseAll(this::feed);
        engine.finish();
    }

    int held() {
        return held.size();
    }

    private void feed(TransactionRecord r, long offset) {
        feeding = offset;
        sightings.saw(r, ConnectionOrigins.sensorOf(r.connectionId()));
        engine.accept(r);
    }

    private void gate(Alert a) {
        if (feeding < alertedBelow) {
            stats.alertsNotRepeated.incrementAndGet();
            return;
        }
        stats.alerts.incrementAndGet();
        out.accept(origins.sensorsOwn(a, sightings.since(a.clientIp(), a.server(), a.windowStartMicros())));
    }
}
