package io.dbwire.core.pipeline;

import io.dbwire.core.config.DetectionConfig;
import io.dbwire.core.detect.alert.AlertSink;
import io.dbwire.core.detect.DetectionEngine;
import io.dbwire.core.memory.MemoryBudget;
import io.dbwire.core.memory.MemoryReport;
import io.dbwire.core.record.RecordSink;
import io.dbwire.core.record.TransactionRecord;

/**
 * Detection as a pipeline stage: records in, alerts out, with its counters in the engine's stats form. Inside a
 * {@link Sensor} when one thread does everything; on its own thread when the daemon spreads connections over
 * several sensors ({@link Sensor#withoutDetection}) and funnels their records here.
 */
public final class DetectionStage implements RecordSink {
    private final DetectionEngine engine;
    private final MemoryBudget memory;

    public DetectionStage(DetectionConfig config, AlertSink alerts) {
        this(config, alerts, MemoryBudget.unlimited());
    }

    /** Per-entity tables draw from {@code memory}; its figures are in {@link #stats()}. */
    public DetectionStage(DetectionConfig config, AlertSink alerts, MemoryBudget memory) {
        this.memory = memory;
        this.engine = new DetectionEngine(config, alerts, memory);
    }

    @Override
    public void accept(TransactionRecord record) {
        engine.accept(record);
    }

    /** Packet time moved on: closes the windows that are due. */
    public void advanceTo(long tsMicros) {
        engine.advanceTo(tsMicros);
    }

    public void finish() {
        engine.finish();
    }

    /** For state snapshots; same threading rule as the stage. */
    public DetectionEngine engine() {
        return engine;
    }

    /** The stage's own figures: alerts and the detect.* counters. */
    public SensorStats stats() {
        CounterReport report = new CounterReport().add(engine.counters()).add(memory.shedCounts());
        return new SensorStats(0, 0, 0, 0, engine.alertsEmitted(), report.problems(), report.counters(),
                memory.report());
    }
}
