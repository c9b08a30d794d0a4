package io.dbwire.core.pipeline;

import io.dbwire.core.config.DetectionConfig;
import io.dbwire.core.detect.alert.AlertSink;
import io.dbwire.core.detect.DetectionEngine;
import io.dbwire.core.record.RecordSink;
import io.dbwire.core.record.TransactionRecord;

/**
 * Detection as a pipeline stage: records in, alerts out, with its counters in the engine's stats form. Inside a
 * {@link Sensor} when one thread does everything; on its own thread when the daemon spreads connections over
 * several sensors ({@link Sensor#withoutDetection}) and funnels their records here.
 */
public final class DetectionStage implements RecordSink {
    private final DetectionEngine engine;

    public DetectionStage(DetectionConfig config, AlertSink alerts) {
        this.engine = new DetectionEngine(config, alerts);
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
        CounterReport report = new CounterReport().add(engine.counters());
        return new SensorStats(0, 0, 0, 0, engine.alertsEmitted(), report.problems(), report.counters());
    }
}
