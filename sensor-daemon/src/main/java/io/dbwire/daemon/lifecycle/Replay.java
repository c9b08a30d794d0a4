package io.dbwire.daemon.lifecycle;

import io.dbwire.core.config.SensorConfig;
import io.dbwire.core.decap.LinkYield;
import io.dbwire.core.detect.state.DetectionSnapshot;
import io.dbwire.core.detect.alert.AlertSink;
import io.dbwire.core.pipeline.Sensor;
import io.dbwire.core.pipeline.SensorStats;
import io.dbwire.core.record.RecordSink;
import io.dbwire.core.tls.KeyLogStore;
import io.dbwire.daemon.health.SilenceWatch;
import io.dbwire.daemon.source.FrameConsumer;
import io.dbwire.daemon.source.PcapFileResult;
import io.dbwire.daemon.source.PcapFileSource;
import io.dbwire.daemon.source.SourceException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * {@code dbwire replay} without the command line: capture files in order through one Sensor (packet time comes
 * from the files), then finish(). Single-threaded; the caller owns and flushes the sinks.
 */
public final class Replay {
    /** Servers whose silence a replay follows. */
    private static final int MAX_SERVERS = 4_096;

    private Replay() {}

    public static ReplaySummary run(SensorConfig config, List<Path> files, RecordSink records, AlertSink alerts)
            throws SourceException {
        return run(config, files, records, alerts, null);
    }

    /** @param keys TLS session secrets for decryption (see {@link #keyStore}), or null for metadata only */
    public static ReplaySummary run(SensorConfig config, List<Path> files, RecordSink records, AlertSink alerts,
            KeyLogStore keys) throws SourceException {
        return run(config, files, records, alerts, keys, Extras.NONE);
    }

    /**
     * What a replay may have besides the engine.
     *
     * @param progress      progress line to feed, or null
     * @param stopRequested turns true on SIGINT/SIGTERM: reading stops after the current packet, the sensor still
     *                      finishes (open transactions flushed), and the summary says the run was interrupted
     * @param silence       mirror_silence of servers on packet time, or null
     * @param detection     false ({@code detection.enabled: false}): records only, no detection engine
     * @param finalState    handed the detection engine's snapshot after finish (e.g. to export the allow-list),
     *                      or null
     */
    public record Extras(ReplayProgress progress, BooleanSupplier stopRequested, SilenceWatch silence,
            boolean detection, Consumer<DetectionSnapshot> finalState) {
        public static final Extras NONE = new Extras(null, () -> false, null);

        public Extras(ReplayProgress progress, BooleanSupplier stopRequested, SilenceWatch silence) {
            this(progress, stopRequested, silence, true, null);
        }
    }

    public static ReplaySummary run(SensorConfig config, List<Path> files, RecordSink records, AlertSink alerts,
            KeyLogStore keys, Extras extras) throws SourceException {
        long start = System.nanoTime();
        ServerCoverage coverage = extras.silence() == null ? null
                : new ServerCoverage(extras.silence(), alerts, MAX_SERVERS);
        RecordSink recordSink = coverage == null ? records : r -> {
            coverage.onRecord(r);
            records.accept(r);
        };
        Sensor sensor = extras.detection() ? new Sensor(config, recordSink, alerts, keys)
                : Sensor.withoutDetection(config, recordSink, keys, 0, 1);
        ReplayProgress progress = extras.progress();
        FrameConsumer consumer = progress == null && coverage == null ? sensor::onFrame
                : (frame, offset, length, type, ts) -> {
                    sensor.onFrame(frame, offset, length, type, ts);
                    if (progress != null) {
                        progress.onFrame(length, sensor::stats);
                    }
                    if (coverage != null) {
                        coverage.onPacketTime(ts);
                    }
                };
        TimestampGuard timestamps = new TimestampGuard(consumer);
        consumer = timestamps;
        BooleanSupplier stopRequested = extras.stopRequested();
        Map<String, Long> sourceProblems = new HashMap<>();
        List<String> nothingRead = new ArrayList<>();
        int read = 0;
        for (Path file : files) {
            if (stopRequested.getAsBoolean()) {
                break;
            }
            LinkYield yield = LinkYield.watch(sensor.decapCounters());
            PcapFileResult r = PcapFileSource.read(file, consumer, stopRequested);
            read++;
            if (r.readError() != null && !PcapFileSource.CANCELLED.equals(r.readError())) {
                sourceProblems.merge("source.file_cut_short", 1L, Long::sum);
            }
            String reason = yield.nothingReadReason(r.linkType());
            if (reason != null) {
                nothingRead.add(file + ": nothing read: " + reason);
            }
        }
        sensor.finish();
        if (timestamps.outOfRange() > 0) {
            sourceProblems.put("source.timestamp_out_of_range", timestamps.outOfRange());
        }
        if (timestamps.backwards() > 0) {
            sourceProblems.put("source.timestamp_backwards", timestamps.backwards());
        }
        if (extras.finalState() != null && sensor.detection() != null) {
            extras.finalState().accept(sensor.detection().snapshot());
        }
        if (progress != null) {
            progress.done();
        }
        SensorStats stats = sensor.stats();
        if (coverage != null && coverage.alertsRaised() > 0) {
            stats = SensorStats.sum(stats,
                    new SensorStats(0, 0, 0, 0, coverage.alertsRaised(), Map.of(), Map.of()));
        }
        return new ReplaySummary(read, stats, sourceProblems, System.nanoTime() - start,
                stopRequested.getAsBoolean(), nothingRead);
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
