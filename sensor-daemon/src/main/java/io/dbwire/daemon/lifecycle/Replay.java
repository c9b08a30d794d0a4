package io.dbwire.daemon.lifecycle;

import io.dbwire.core.config.SensorConfig;
import io.dbwire.core.detect.alert.AlertSink;
import io.dbwire.core.pipeline.Sensor;
import io.dbwire.core.record.RecordSink;
import io.dbwire.core.tls.KeyLogStore;
import io.dbwire.daemon.source.PcapFileResult;
import io.dbwire.daemon.source.PcapFileSource;
import io.dbwire.daemon.source.SourceException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code dbwire replay} without the command line: capture files in order through one Sensor (packet time comes
 * from the files), then finish(). Single-threaded; the caller owns and flushes the sinks.
 */
public final class Replay {
    private Replay() {}

    public static ReplaySummary run(SensorConfig config, List<Path> files, RecordSink records, AlertSink alerts)
            throws SourceException {
        return run(config, files, records, alerts, null);
    }

    /** @param keys TLS session secrets for decryption (see {@link #keyStore}), or null for metadata only */
    public static ReplaySummary run(SensorConfig config, List<Path> files, RecordSink records, AlertSink alerts,
            KeyLogStore keys) throws SourceException {
        long start = System.nanoTime();
        Sensor sensor = new Sensor(config, records, alerts, keys);
        Map<String, Long> sourceProblems = new HashMap<>();
        for (Path file : files) {
            PcapFileResult r = PcapFileSource.read(file, sensor::onFrame);
            if (r.readError() != null) {
                sourceProblems.merge("source.file_cut_short", 1L, Long::sum);
            }
        }
        sensor.finish();
        return new ReplaySummary(files.size(), sensor.stats(), sourceProblems, System.nanoTime() - start);
    }

    /**
     * A store for replay: a capture may be days old, so its keys must not expire against the packets' time. Lines
     * are added at time 0 with an unbounded time to live (expiry off; {@code maxSessions} still bounds the store).
     *
     * @param keyLogText the NSS key log lines of every --keylog file
     */
    public static KeyLogStore keyStore(int maxSessions, List<String> keyLogText) {
        KeyLogStore store = new KeyLogStore(maxSessions, Long.MAX_VALUE);
        for (String text : keyLogText) {
            store.addLines(text, 0);
        }
        return store;
    }
}
