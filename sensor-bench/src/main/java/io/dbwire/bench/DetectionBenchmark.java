package io.dbwire.bench;

import io.dbwire.core.config.SensorConfig;
import io.dbwire.core.pipeline.DetectionStage;
import io.dbwire.core.pipeline.Sensor;
import io.dbwire.core.record.TransactionRecord;
import io.dbwire.daemon.source.PcapFileSource;
import io.dbwire.daemon.source.SourceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Detection alone: the records of a real capture (made once by the engine at setup, held in memory) fed one by
 * one to a {@link DetectionStage} with the default configuration, as the pipeline thread feeds it. One operation
 * is one record, so the score is records per second; with {@code -prof gc}, {@code gc.alloc.rate.norm} is the
 * bytes detection allocates per record. At the end of the records the stage is finished and a new one starts
 * (the capture's packet time cannot go on), so every pass learns its entities afresh, as {@code dbwire bench}
 * does. Run: {@code java -jar sensor-bench/target/benchmarks.jar DetectionBenchmark -prof gc}; another capture
 * with {@code -p capture=testdata/pg-basic-vxlan.pcap} (pcap or pcapng; make the default one with
 * {@code sensor-bench/scripts/make-bench-capture.sh}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class DetectionBenchmark {
    @Param({"/tmp/dbwire-bench/bench-600k.pcap"})
    public String capture;

    private TransactionRecord[] records;
    private int next;
    private DetectionStage stage;
    private Blackhole blackhole;

    @Setup(Level.Trial)
    public void load(Blackhole bh) throws SourceException {
        if (!Files.isReadable(Path.of(capture))) {
            throw new IllegalStateException(capture + ": not readable (make it with"
                    + " sensor-bench/scripts/make-bench-capture.sh, or pass -p capture=FILE)");
        }
        List<TransactionRecord> out = new ArrayList<>();
        Sensor sensor = Sensor.withoutDetection(SensorConfig.defaults(), out::add, null, 0, 1);
        PcapFileSource.read(Path.of(capture), sensor::onFrame);
        sensor.finish();
        records = out.toArray(new TransactionRecord[0]);
        if (records.length == 0) {
            throw new IllegalStateException(capture + ": no records");
        }
        blackhole = bh;
        stage = newStage();
        System.out.printf("%n%s: %d records over %.1f s of packet time%n", capture, records.length,
                (records[records.length - 1].tsMicros() - records[0].tsMicros()) / 1e6);
    }

    private DetectionStage newStage() {
        return new DetectionStage(SensorConfig.defaults().detection(), blackhole::consume);
    }

    @Benchmark
    public void detectRecord() {
        if (next == records.length) {
            stage.finish();
            stage = newStage();
            next = 0;
        }
        stage.accept(records[next++]);
    }
}
