package io.dbwire.core.pipeline;

import io.dbwire.core.config.SensorConfig;
import io.dbwire.core.decap.LinkType;
import io.dbwire.core.detect.AlertSink;
import io.dbwire.core.record.RecordSink;
import java.util.Map;

/**
 * The engine, frame in, records and alerts out: decap, TCP, protocol, detect. Single-threaded: one thread owns a
 * Sensor (the daemon shards by flow hash across several).
 *
 * <p>SCAFFOLD: counts frames only until the layers are wired in.
 */
public final class Sensor {
    private long packets;
    private long bytes;

    public Sensor(SensorConfig config, RecordSink records, AlertSink alerts) {}

    /** Feeds one captured frame; {@code tsMicros} is its packet time. The array is not kept after the call. */
    public void onFrame(byte[] frame, int offset, int length, LinkType linkType, long tsMicros) {
        packets++;
        bytes += length;
    }

    /** End of input: closes every connection (flushing incomplete statements) and closes detection windows. */
    public void finish() {}

    public SensorStats stats() {
        return new SensorStats(packets, bytes, 0, 0, 0, Map.of());
    }
}
